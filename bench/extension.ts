// Extension figures, in Chromium with the built extension against the mock backend:
// - popup first paint from the cache (median of 20 opens): navigation start → cached rows painted;
// - approval → popup (median of 20): the approve API call → the popup showing "approved" (events stream).
import type { Page } from 'playwright-core';
import { launchWithExtension, startBackend } from '../test/e2e/harness.ts';

const RUNS = 20;
const SUPPORT = 'demo-support-token';
const ADMIN = 'demo-admin-token';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export async function benchExtension(): Promise<void> {
  const backend = await startBackend();
  await backend.reset();
  const ext = await launchWithExtension();
  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${backend.url}/manage${path}`, {
      method,
      headers: { 'X-KBC-ManageApiToken': token, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : null;
  };
  try {
    const options = await ext.page('extension/options.html');
    await options.getByLabel('Backend URL').fill(backend.url);
    await options.getByLabel('Manage API token').fill(SUPPORT);
    await options.getByRole('button', { name: 'Save and verify' }).click();
    await options.getByTestId('options-saved').waitFor();

    // Something in the cache: one joined project, one pending request.
    await api('POST', '/projects/101/join-project', SUPPORT, { reason: 'bench', expirationSeconds: 3600 });
    const warm = await ext.page('extension/popup.html');
    await warm.getByRole('tab', { name: /My access/ }).waitFor();
    await options.close();

    const paints: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const page = await ext.page('extension/popup.html');
      const at = await page.waitForFunction(
        (mark) => performance.getEntriesByName(mark)[0]?.startTime,
        'support-kit:cache-painted',
      );
      paints.push(Number(await at.jsonValue()));
      await page.close();
    }

    const popup: Page = warm;
    const approvals: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await popup.getByRole('tab', { name: 'Get access' }).click();
      await popup.getByLabel('Project', { exact: true }).fill('100');
      await popup.getByTestId('project-info').waitFor();
      await popup.getByLabel('Reason', { exact: true }).fill(`bench ${i}`);
      await popup.getByRole('button', { name: /Get access/ }).click();
      await popup.getByTestId('access-result').filter({ hasText: 'Request sent' }).waitFor();
      await popup.getByRole('tab', { name: /My access/ }).click();
      await popup.waitForSelector('[data-testid="request-row"][data-project="100"]');
      const [request] = (await api('GET', '/projects/100/join-requests', ADMIN)) as { id: number }[];
      const started = performance.now();
      await api('PUT', `/projects/100/join-requests/${request?.id}`, ADMIN, {});
      await popup.waitForSelector('[data-testid="access-row"][data-project="100"] .status-approved', {
        timeout: 10_000,
      });
      approvals.push(performance.now() - started);
      await popup.getByRole('button', { name: 'Leave project Acme Main' }).click();
      await popup.waitForSelector('[data-testid="access-row"][data-project="100"]', { state: 'detached' });
    }

    console.log(
      `extension: popup first paint from cache, median of ${RUNS}: ${median(paints).toFixed(1)} ms`,
    );
    console.log(
      `extension: approval → popup shows it, median of ${RUNS}: ${median(approvals).toFixed(1)} ms`,
    );
  } finally {
    await ext.close();
    await backend.close();
  }
}
