// Notifications and the toolbar badge. Every notification raised is also recorded in the db (notices),
// which is what the popup's history and the tests read.
import { browser, notificationButtonsSupported } from './browser.ts';
import { db, type NoticeKind } from './db.ts';
import { reportError } from './errors.ts';

export interface Change {
  kind: NoticeKind;
  projectId: number;
  projectName: string;
  /** For "expiring": when the access ends. */
  expires?: string | null;
}

const ICON = 'extension/icons/icon-128.png';

export function describeChange(c: Change): { title: string; message: string } {
  const p = `${c.projectName} (#${c.projectId})`;
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
    case 'ended':
      return {
        title: 'Access ended',
        message: `Your access to ${p} ended: you were removed from the project.`,
      };
  }
}

/** Notification id → project, so a click (or the "Open project" button) opens the right one. */
export function notificationId(c: Change, at: number): string {
  return `sk:${c.kind}:${c.projectId}:${at}`;
}

export function projectOfNotification(id: string): number | null {
  const m = /^sk:[a-z]+:(\d+):/.exec(id);
  return m?.[1] ? Number(m[1]) : null;
}

export async function notify(c: Change): Promise<void> {
  const { title, message } = describeChange(c);
  const at = Date.now();
  await db.notices.add({ kind: c.kind, projectId: c.projectId, title, message, at });
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
