import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { screenshot, signIn } from './helpers';

/**
 * The Integrations page on a phone, by keyboard: create a key (shown once, copied), the API takes
 * it, revoke it with the confirm step, the API refuses it at once; a doctor gets "only admins";
 * axe finds nothing serious or critical.
 */
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

async function noSeriousAxeIssue(page: import('@playwright/test').Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('an admin creates a key, sees it once, and revokes it; the API follows at once', async ({ page, context, request }, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, 'admin@demo.test');
  await page.goto('/dashboard/integrations');
  await expect(page.getByRole('heading', { level: 1, name: 'Integrations' })).toBeVisible();
  await expect(page.getByTestId('integration-key-row').filter({ hasText: 'Demo WhatsApp bot' })).toContainText('cst_demo_4');
  await noSeriousAxeIssue(page);

  // Keyboard only: focus the name, type, Enter.
  const name = `Bot ${Date.now().toString(36)}`;
  await page.getByLabel('Name').focus();
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('new-integration-key');
  await expect(panel).toContainText('you will not see it again');
  await expect(page.getByRole('heading', { name: `The key for ${name}` })).toBeFocused();
  const key = (await page.getByTestId('new-integration-key-value').textContent())!.trim();
  expect(key).toMatch(/^cst_[0-9a-f]{32}$/);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Copy key' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('status')).toContainText(/Copied|copy it with/);
  await noSeriousAxeIssue(page);
  await screenshot(page, testInfo, 'new-key');

  const row = page.getByTestId('integration-key-row').filter({ hasText: name });
  await expect(row).toContainText(key.slice(0, 10));
  await expect(row).toContainText('Never');
  // The list shows the first characters only; the whole key is in the one-time panel alone.
  await expect(page.getByRole('region', { name: /^Keys/ })).not.toContainText(key.slice(10));

  // The key is checked before the body: a current key with an empty body is 422 (validation), a
  // revoked one 401. The call records the key's use; the list shows it after a reload below.
  const call = () =>
    request.post('/api/v1/profiles/demo/requests', {
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'X-Forwarded-For': '198.51.100.77' },
      data: '{}',
    });
  expect((await call()).status()).toBe(422);

  await panel.getByRole('button', { name: 'I have stored the key' }).click();
  await expect(page.getByLabel('Name')).toBeFocused();
  await page.reload();
  await expect(page.locator('body')).not.toContainText(key.slice(10));
  await expect(page.getByTestId('integration-key-row').filter({ hasText: name })).not.toContainText('Never');

  // Revoke: ask, step back with Escape, ask again, confirm.
  const revokeRow = page.getByTestId('integration-key-row').filter({ hasText: name });
  await revokeRow.getByRole('button', { name: `Revoke ${name}` }).click();
  await expect(revokeRow.getByRole('button', { name: 'Revoke key' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(revokeRow.getByRole('button', { name: `Revoke ${name}` })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(revokeRow.getByRole('button', { name: 'Revoke key' })).toBeFocused();
  await noSeriousAxeIssue(page);
  await screenshot(page, testInfo, 'revoke-confirm');
  await page.keyboard.press('Enter');
  await expect(revokeRow.getByRole('status')).toContainText('was revoked');
  await expect(revokeRow).toContainText('Revoked');
  const refused = await call();
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe('unauthorized');
  await screenshot(page, testInfo, 'revoked');
});

test('a doctor is told that only admins manage keys, and has no nav item', async ({ page }) => {
  await signIn(page, 'doctor@demo.test');
  await expect(page.getByRole('link', { name: 'Integrations' })).toHaveCount(0);
  await page.goto('/dashboard/integrations');
  await expect(page.getByRole('status')).toContainText('Only admins');
  await expect(page.getByLabel('Name')).toHaveCount(0);
});
