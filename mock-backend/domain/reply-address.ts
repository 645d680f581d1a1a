// Reply by e-mail: every e-mail of a ticket's thread carries a Reply-To unique to the ticket and its
// recipient, that nobody can guess or forge, and that stops working after a while:
//
//   reply+<ticket>-<user>-<expires>.<signature>@<reply domain>
//
// ticket and user ids and the expiry (epoch seconds) in base 36; the signature is HMAC-SHA256 of
// `<ticket>-<user>-<expires>` under the server's reply key, its first 16 bytes in hex. All lower
// case: mail systems may change the case of a local part. The key is made once (32 random bytes) and
// kept in the store (serverSecrets `replyAddress`): the same after a restart, and for every instance
// on one PostgreSQL database. An option (`replySecret`) may give it instead. What comes back to one
// is taken by email-reply.ts (receiveEmailReply).
//
// @noble/hashes, not node:crypto: the domain also runs in the browser (the MSW handlers).
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { THREAD_LIMITS } from '../../api/types.ts';
import { type Ctx, nowSec, type TxCtx } from './context.ts';

/** Where reply addresses live when the backend is given no domain of its own. */
export const DEFAULT_REPLY_DOMAIN = 'reply.supportkit.test';
const SECRET_NAME = 'replyAddress';
const LOCAL = /^reply\+([0-9a-z]{1,12})-([0-9a-z]{1,12})-([0-9a-z]{1,12})\.([0-9a-f]{32})$/;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** The key, made and kept on first use (inside a change: one maker across instances). */
async function replyKey(ctx: TxCtx): Promise<string> {
  if (ctx.replySecret) return ctx.replySecret;
  const kept = await ctx.store.first('serverSecrets', { name: SECRET_NAME });
  if (kept) return kept.value;
  const value = toBase64(globalThis.crypto.getRandomValues(new Uint8Array(32)));
  await ctx.store.insert('serverSecrets', { name: SECRET_NAME, value });
  return value;
}

/** The key if one was ever made (no address was ever given out without one). */
async function existingKey(ctx: Ctx): Promise<string | undefined> {
  if (ctx.replySecret) return ctx.replySecret;
  return (await ctx.store.first('serverSecrets', { name: SECRET_NAME }))?.value;
}

const sign = (key: string, payload: string): string =>
  bytesToHex(hmac(sha256, utf8ToBytes(key), utf8ToBytes(payload)).subarray(0, 16));

/** Constant time, so the answer's timing says nothing of how much of a guess was right. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * The reply address of a ticket for one recipient (a user), good for THREAD_LIMITS.replyAddressSeconds
 * from now. Inside the change that sends the e-mail.
 */
export async function replyAddress(ctx: TxCtx, ticketId: number, userId: number): Promise<string> {
  const expires = nowSec(ctx) + THREAD_LIMITS.replyAddressSeconds;
  const payload = `${ticketId.toString(36)}-${userId.toString(36)}-${expires.toString(36)}`;
  return `reply+${payload}.${sign(await replyKey(ctx), payload)}@${ctx.replyDomain ?? DEFAULT_REPLY_DOMAIN}`;
}

/** Why an e-mail reply is refused; the SMTP listener maps each to its SMTP answer. */
export type ReplyRefusal =
  /** Not a reply address at all, or of another domain. */
  | 'unknown'
  /** Shaped like one, but its signature is wrong. */
  | 'forged'
  | 'expired'
  /** The sender is not the user the address was made for. */
  | 'wrongSender'
  /** The user may no longer see the ticket, or it (or they) no longer exist. */
  | 'notParticipant'
  /** The ticket is closed: it takes no reply. */
  | 'closed'
  /** The text or attachments break a rule (empty, too long, too large): `message` says which. */
  | 'invalid';

export class ReplyRefused extends Error {
  override readonly name = 'ReplyRefused';
  constructor(
    readonly reason: ReplyRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** What a valid address names. Throws ReplyRefused (unknown, forged, expired). */
export async function verifyReplyAddress(
  ctx: Ctx,
  address: string,
): Promise<{ ticketId: number; userId: number; expires: number }> {
  const at = address.trim().lastIndexOf('@');
  const local = address.trim().slice(0, at).toLowerCase();
  const domain = address
    .trim()
    .slice(at + 1)
    .toLowerCase();
  const m = at > 0 ? LOCAL.exec(local) : null;
  if (!m || domain !== (ctx.replyDomain ?? DEFAULT_REPLY_DOMAIN).toLowerCase())
    throw new ReplyRefused('unknown', 'No such reply address.');
  const [, ticket36, user36, exp36, sig] = m as unknown as [string, string, string, string, string];
  const key = await existingKey(ctx);
  if (!key || !sameHex(sign(key, `${ticket36}-${user36}-${exp36}`), sig))
    throw new ReplyRefused('forged', 'This reply address is not one of ours.');
  const expires = Number.parseInt(exp36, 36);
  if (expires <= nowSec(ctx)) throw new ReplyRefused('expired', 'This reply address has expired.');
  return { ticketId: Number.parseInt(ticket36, 36), userId: Number.parseInt(user36, 36), expires };
}
