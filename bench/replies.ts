// Ticket replies live (issue 20), in the same headless Chromium as the extension's figures:
// - a staff reply posted through the API → the customer's open "My tickets" thread in the widget
//   (the demo host page, signed in as Gary, a guest of Acme Main) showing it;
// - a customer reply posted through the API → the engineer's open thread in the extension popup
//   showing it;
// beside the fair baseline, approval → popup (the same event stream path with a feature that was
// there before), one of each in turn, so all three see the same browser, server and machine.
// p50 and p99 over SAMPLES of each per run (p99 of 30 is the slowest one: nearest rank), three runs.
// `npx tsx bench/replies.ts` runs it alone (after `npm run build`); `npm run bench` runs it with the rest.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { approveOnce, setUp } from './extension.ts';
import { openEventStream } from './http.ts';
import { header, record } from './results.ts';

const RUNS = Number(process.env.BENCH_REPLY_RUNS ?? 3);
const SAMPLES = Number(process.env.BENCH_REPLY_SAMPLES ?? 30);
const SUPPORT = 'demo-support-token';
const GUEST = 'demo-guest-token';
const GARY = 1002;
const SUBJECT = 'Bench: replies live';

/** The p-th percentile by nearest rank (p 50 → the median's lower neighbour on an even count). */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
}

/**
 * The writes per person here, a minute: each round is an approval (the engineer's request and leave,
 * the admin's approval) and one reply from each side, a second or two. That is up to some 60 replies
 * a minute from each side and 180 writes from the engineer, over production's `tickets` (10 a minute:
 * replies count as tickets), `entry` (20) and `writes` (120) limits, so this server raises those
 * three, as bench/server-child.ts does for its admin. The limits are checked before the handler, in
 * the same middleware whatever the figure, so raising them changes no path being timed.
 */
const LIMITS = { tickets: 1000, entry: 1000, writes: 1000 };

interface Sampled {
  approval: number[];
  toWidget: number[];
  toExtension: number[];
  /** The approval's event on the engineer's stream, read by a plain client. */
  approvalStream: number[];
  /** The staff reply's event on the customer's stream, read by a plain client. */
  toGaryStream: number[];
  /** The customer reply's event on the engineer's stream, read by a plain client. */
  toStaffStream: number[];
}

export async function benchReplies(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sk-bench-replies-'));
  try {
    header(`ticket replies live in headless Chromium (${SAMPLES} of each per run, interleaved)`);
    const { ext, api, popup, url, close } = await setUp(4, dir, LIMITS);
    try {
      /** A POST that takes an Idempotency-Key (a ticket, a reply), its JSON answer. */
      const post = async (path: string, token: string, body: unknown) => {
        const res = await fetch(`${url}/manage${path}`, {
          method: 'POST',
          headers: {
            'X-KBC-ManageApiToken': token,
            'Content-Type': 'application/json',
            'Idempotency-Key': crypto.randomUUID(),
          },
          body: JSON.stringify(body),
        });
        if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
        return (await res.json()) as unknown;
      };
      const ticket = (await post('/support/tickets', GUEST, {
        subject: SUBJECT,
        description: 'The thread both sides keep open while the bench replies.',
        type: 'question',
        projectId: 100,
      })) as { id: number };
      const reply = async (token: string, body: string, via: string) => {
        await post(`/support/tickets/${ticket.id}/messages`, token, { body, via });
      };

      // The customer: the demo host page as Gary, "My tickets" open on the ticket.
      await ext.context.addCookies([{ name: 'sk_demo_user', value: String(GARY), url }]);
      const host = await ext.context.newPage();
      await host.goto(`${url}/admin/projects/100`);
      await host.locator('support-kit button.b').click();
      await host.getByRole('button', { name: /^My tickets/ }).click();
      await host.getByRole('button', { name: new RegExp(SUBJECT) }).click();
      const widgetThread = host.getByRole('list', { name: 'Conversation' });
      await widgetThread.getByText('The thread both sides keep open').waitFor();

      // The engineer: a second popup, its Tickets tab open on the same ticket (the first popup keeps
      // My access for the approvals).
      const inbox: Page = await ext.page('extension/popup.html');
      await inbox.getByRole('tab', { name: 'Tickets' }).click();
      await inbox.getByRole('button', { name: 'All', exact: true }).click();
      await inbox.getByRole('button', { name: new RegExp(SUBJECT) }).click();
      const extThread = inbox.getByRole('list', { name: 'Thread' });
      await extThread.getByText('The thread both sides keep open').waitFor();

      // Beside each reply, the fair floor of its path: the same event on the receiver's stream, read
      // by a plain client here (kept open; each reply's text is its own, so it is found by that).
      const garyStream = await openEventStream(url, GUEST);
      const staffStream = await openEventStream(url, SUPPORT);
      await Promise.all([garyStream.until(/: connected/), staffStream.until(/: connected/)]);

      /** From just before the API call to the entry drawn in the thread, and to the event on the stream. */
      const timed = async (
        shows: () => Promise<void>,
        streamed: () => Promise<void>,
        send: () => Promise<void>,
      ) => {
        const started = performance.now();
        const drawn = shows().then(() => performance.now() - started);
        const event = streamed().then(() => performance.now() - started);
        await send();
        return { drawn: await drawn, event: await event };
      };

      const runs: Sampled[] = [];
      for (let run = 0; run < RUNS; run++) {
        const s: Sampled = {
          approval: [],
          toWidget: [],
          toExtension: [],
          toGaryStream: [],
          approvalStream: [],
          toStaffStream: [],
        };
        for (let i = 0; i < SAMPLES; i++) {
          // Each sample with its page in front, as the person looking at it has it: a page behind
          // another gets no animation frames, and the wait would measure the browser's throttling.
          await popup.bringToFront();
          const approval = await approveOnce(popup, api, url, `bench replies ${run} ${i}`);
          s.approval.push(approval.popup);
          s.approvalStream.push(approval.stream);
          await host.bringToFront();
          const staff = `Staff reply ${run}.${i}`;
          const toWidget = await timed(
            () => widgetThread.getByText(staff, { exact: true }).waitFor({ timeout: 20_000 }),
            () => garyStream.until(new RegExp(`"${staff.replace('.', '\\.')}"`)),
            () => reply(SUPPORT, staff, 'extension'),
          );
          s.toWidget.push(toWidget.drawn);
          s.toGaryStream.push(toWidget.event);
          await inbox.bringToFront();
          const customer = `Customer reply ${run}.${i}`;
          const toExtension = await timed(
            () => extThread.getByText(customer, { exact: true }).waitFor({ timeout: 20_000 }),
            () => staffStream.until(new RegExp(`"${customer.replace('.', '\\.')}"`)),
            () => reply(GUEST, customer, 'widget'),
          );
          s.toExtension.push(toExtension.drawn);
          s.toStaffStream.push(toExtension.event);
        }
        runs.push(s);
      }
      const rows: [string, keyof Sampled][] = [
        ['approval → popup (baseline)', 'approval'],
        ['staff reply → widget open thread', 'toWidget'],
        ['customer reply → extension open thread', 'toExtension'],
        ['approval → engineer’s stream, plain client', 'approvalStream'],
        ['staff reply → customer’s stream, plain client', 'toGaryStream'],
        ['customer reply → engineer’s stream, plain client', 'toStaffStream'],
      ];
      for (const [label, key] of rows)
        for (const p of [50, 99])
          record(
            `replies: ${label}, p${p} of ${SAMPLES}`,
            'ms',
            runs.map((r) => percentile(r[key], p)),
            'lower',
          );
      garyStream.close();
      staffStream.close();
    } finally {
      await close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npx tsx bench/replies.ts` (after a build): this part alone; bench/results.json is left as it is.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { finish } = await import('./results.ts');
  await benchReplies();
  finish(false);
}
