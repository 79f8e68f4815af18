import base from './playwright.config';
import { defineConfig } from '@playwright/test';

// Issue 16's browser tests and the dashboard and notes specs they must keep passing, on their own port and build folder.
export default defineConfig({
  ...base,
  testMatch: /(practice-day.*|dashboard|notes)\.spec\.ts$/,
  outputDir: 'test-results/e2e-day',
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report-day' }]],
});
