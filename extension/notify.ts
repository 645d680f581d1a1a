// Notifications and the toolbar badge. Every notification raised is also recorded in the db (notices),
// which is what the popup's history and the tests read.
import { browser, notificationButtonsSupported } from './browser.ts';
import { allSyncMeta, type CachedTicket, db, type NoticeKind, pendingCount } from './db.ts';
import { reportError } from './errors.ts';
import { stackLabel } from './settings.ts';

export interface Change {
  kind: NoticeKind;
  /** The stack's URL: "Open project" opens the project there. */
  stack: string;
  projectId: number;
  projectName: string;
  /** For "expiring": when the access ends. */
  expires?: string | null;
}

const ICON = 'extension/icons/icon-128.png';

export function describeChange(c: Change): { title: string; message: string } {
  const p = `${c.projectName} (#${c.projectId} on ${stackLabel(c.stack)})`;
  switch (c.kind) {
    case 'approved':
      return {
        title: 'Access approved',
        message: `Your request for ${p} was approved. You can open the project.`,
      };
    case 'rejected':
      return { title: 'Request rejected', message: `Your request for ${p} was rejected or withdrawn.` };
    case 'expired':
      return { title: 'Access expired', message: `Your access to ${p} has expired.` };
    case 'expiring':
      return { title: 'Access ending soon', message: `Your access to ${p} ends in 15 minutes or less.` };
    case 'joined':
      return { title: 'Joined', message: `You joined ${p}.` };
    case 'withdrawn':
      return {
        title: 'Access withdrawn',
        message: `The customer withdrew your access to ${p} for their ticket: you are out of the project.`,
      };
    case 'ended':
      return {
        title: 'Access ended',
        message: `Your access to ${p} ended: you were removed from the project.`,
      };
  }
}

/** Notification id → stack and project, so a click (or "Open project") opens the right one. */
export function notificationId(c: Change, at: number): string {
  return `sk:${c.kind}:${c.projectId}:${at}:${encodeURIComponent(c.stack)}`;
}

export function projectOfNotification(id: string): { stack: string; projectId: number } | null {
  const m = /^sk:[a-z]+:(\d+):\d+:([^:]+)$/.exec(id);
  if (!m?.[1] || !m[2]) return null;
  try {
    return { stack: decodeURIComponent(m[2]), projectId: Number(m[1]) };
  } catch {
    return null;
  }
}

export async function notify(c: Change): Promise<void> {
  const { title, message } = describeChange(c);
  const at = Date.now();
  await db.notices.add({ kind: c.kind, stack: c.stack, projectId: c.projectId, title, message, at });
  const withButton = c.kind === 'approved' && notificationButtonsSupported();
  try {
    await browser.notifications.create(notificationId(c, at), {
      type: 'basic',
      iconUrl: browser.runtime.getURL(ICON),
      title,
      message,
      ...(withButton ? { buttons: [{ title: 'Open project' }] } : {}),
    });
  } catch (error) {
    reportError(error, 'notify');
  }
}

/** A notification's text is short: a reply's first words, on one line. */
const PREVIEW_MAX = 140;

/** A reply notification's id → its stack and ticket (a click opens that ticket's thread). */
export function ticketOfNotification(id: string): { stack: string; ticketId: number } | null {
  const m = /^skt:(\d+):\d+:([^:]+)$/.exec(id);
  if (!m?.[1] || !m[2]) return null;
  try {
    return { stack: decodeURIComponent(m[2]), ticketId: Number(m[1]) };
  } catch {
    return null;
  }
}

/**
 * A customer replied on a ticket assigned to this user. Its id is not a project's (`skt:`): a click
 * opens the ticket's thread (background.ts), not a project.
 */
export async function notifyReply(r: {
  stack: string;
  ticket: CachedTicket;
  /** Null when the poll saw it (it knows the count, not the message). */
  author: string | null;
  body: string;
}): Promise<void> {
  const t = r.ticket;
  const title = `${t.number}: ${r.author ? `${r.author} replied` : 'new customer reply'}`;
  const text = r.body.replace(/\s+/g, ' ').trim();
  const preview = text.length > PREVIEW_MAX ? `${text.slice(0, PREVIEW_MAX - 1)}…` : text;
  const message = `${t.subject} (on ${stackLabel(r.stack)})${preview ? `: ${preview}` : ''}`;
  const at = Date.now();
  await db.notices.add({ kind: 'reply', stack: r.stack, projectId: t.projectId ?? 0, title, message, at });
  try {
    await browser.notifications.create(`skt:${t.id}:${at}:${encodeURIComponent(r.stack)}`, {
      type: 'basic',
      iconUrl: browser.runtime.getURL(ICON),
      title,
      message,
    });
  } catch (error) {
    reportError(error, 'notify');
  }
}

/**
 * One badge for every stack: a red "!" while any stack refuses its token (the popup says which),
 * otherwise the number of requests pending on all stacks together.
 */
export async function refreshBadge(): Promise<void> {
  const refused = (await allSyncMeta()).some((m) => m.tokenRefused);
  if (refused) await setTokenRefusedBadge();
  else await setBadge(await pendingCount());
}

/** The stack refused the token: a red "!" until a new token is saved or a sync succeeds again. */
export async function setTokenRefusedBadge(): Promise<void> {
  try {
    await browser.action.setBadgeBackgroundColor({ color: '#c62828' });
    await browser.action.setBadgeText({ text: '!' });
  } catch (error) {
    reportError(error, 'badge');
  }
}

export async function setBadge(pending: number): Promise<void> {
  try {
    await browser.action.setBadgeBackgroundColor({ color: '#1f5ed6' });
    await browser.action.setBadgeText({ text: pending > 0 ? String(pending) : '' });
  } catch (error) {
    reportError(error, 'badge');
  }
}
