import base from './playwright.config';
import { defineConfig } from '@playwright/test';

// Issue 16's browser tests on their own port, build folder and report (beside other runs).
export default defineConfig({
  ...base,
  testMatch: /practice-day.*\.spec\.ts$/,
  outputDir: 'test-results/e2e-day',
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report-day' }]],
});
