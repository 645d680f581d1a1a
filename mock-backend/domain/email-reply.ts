// An e-mail reply into a ticket's thread: what the inbound SMTP listener calls once it has parsed a
// message (the quoted history stripped). The address is checked by reply-address.ts.
//
// For the listener:
//   receiveEmailReply(ctx: Ctx, reply: { address, from, text, attachments, messageId }): Promise<TicketMessage>
//     throws ReplyRefused { reason: 'unknown' | 'forged' | 'expired' | 'wrongSender' | 'notParticipant'
//     | 'closed' | 'invalid', message } and changes nothing; any other throw is the server's fault.
//   verifyReplyAddress(ctx: Ctx, address: string): Promise<{ ticketId, userId, expires }> (reply-address.ts)
//     the same checks of the address alone (unknown, forged, expired), e.g. to refuse at RCPT TO.
// `ctx` is the backend's (createBackend(...).ctx).
import type { TicketAttachmentInput, TicketMessage } from '../../api/types.ts';
import type { UserRow } from '../store/schema.ts';
import { type Ctx, mutate } from './context.ts';
import { addReply } from './conversation.ts';
import { ApiFailure } from './errors.ts';
import { ReplyRefused, verifyReplyAddress } from './reply-address.ts';
import { ticketSide } from './ticket-access.ts';

export { type ReplyRefusal, ReplyRefused } from './reply-address.ts';

/** The bare address of a From header's value (`Name <a@b>` or `a@b`), lower case. */
const bareAddress = (from: string): string => {
  const angle = /<([^<>]*)>\s*$/.exec(from);
  return (angle ? (angle[1] ?? '') : from).trim().toLowerCase();
};

export interface EmailReply {
  /** The address the e-mail was sent to (the envelope's RCPT TO, or its To header). */
  address: string;
  /** The sender (the envelope's MAIL FROM, or the From header): `a@b` or `Name <a@b>`. */
  from: string;
  /** The reply's own text, the quoted history already stripped. */
  text: string;
  /** As a new ticket's: name, type, base64 data, under TICKET_LIMITS. */
  attachments: TicketAttachmentInput[];
  /** The e-mail's Message-ID: the same e-mail twice adds one message. */
  messageId: string;
}

/**
 * An e-mail reply into a ticket's thread, as the participant its address was made for, via 'email'.
 * Refused with ReplyRefused (the listener answers with an SMTP error), changing nothing, when the
 * address is unknown, forged or expired, the sender is not that user (case-insensitive), the user
 * may no longer see the ticket, the ticket is closed, or the text breaks a rule. Idempotent per
 * Message-ID (and ticket and user): the same e-mail again answers the first message.
 */
export async function receiveEmailReply(ctx: Ctx, reply: EmailReply): Promise<TicketMessage> {
  const { ticketId, userId } = await verifyReplyAddress(ctx, reply.address);
  return mutate(ctx, async (ctx) => {
    const user: UserRow | undefined = await ctx.store.get('users', userId);
    if (!user || bareAddress(reply.from) !== user.email.toLowerCase())
      throw new ReplyRefused('wrongSender', 'This reply address is not for this sender.');
    const ticket = await ctx.store.get('tickets', ticketId);
    if (!ticket || !(await ticketSide(ctx, user, ticket)))
      throw new ReplyRefused('notParticipant', 'You no longer take part in this ticket.');
    try {
      return await addReply(ctx, user, ticketId, {
        body: reply.text,
        attachments: reply.attachments,
        via: 'email',
        // An e-mail without a Message-ID cannot be recognised when it comes again: it is one of its own.
        idempotencyKey: reply.messageId.trim()
          ? `email:${reply.messageId.trim().slice(0, 900)}`
          : `email:none:${globalThis.crypto.randomUUID()}`,
      });
    } catch (e) {
      if (e instanceof ApiFailure) throw new ReplyRefused(e.status === 409 ? 'closed' : 'invalid', e.message);
      throw e;
    }
  });
}
