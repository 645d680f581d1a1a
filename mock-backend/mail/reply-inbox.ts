// The inbound listener's questions answered by the rules (domain/reply-address.ts, email-reply.ts):
// who a reply address belongs to, and the reply into the thread. Each refusal of the rules becomes the SMTP
// answer that says it best; the words are the rules' own, with what to do instead.
import type { Ctx } from '../domain/context.ts';
import { type ReplyRefusal, ReplyRefused, receiveEmailReply } from '../domain/email-reply.ts';
import { verifyReplyAddress } from '../domain/reply-address.ts';
import { type ReplyInbox, SmtpRefusal } from './inbound.ts';

/** RFC 3463 codes: 5.1.1 no such mailbox, 5.7.1 not authorized, 5.2.1 mailbox disabled, 5.6.0 content. */
const ANSWERS: Record<ReplyRefusal, { enhanced: string; advice: string }> = {
  unknown: { enhanced: '5.1.1', advice: '' },
  forged: { enhanced: '5.7.1', advice: '' },
  expired: { enhanced: '5.1.1', advice: ' Answer the ticket in the widget (My tickets) instead.' },
  wrongSender: { enhanced: '5.7.1', advice: ' Send the reply from the address the e-mail came to.' },
  notParticipant: { enhanced: '5.7.1', advice: '' },
  closed: { enhanced: '5.2.1', advice: '' },
  invalid: { enhanced: '5.6.0', advice: '' },
};

function smtpRefusal(e: unknown): unknown {
  if (!(e instanceof ReplyRefused)) return e;
  const { enhanced, advice } = ANSWERS[e.reason];
  return new SmtpRefusal(550, enhanced, `${e.message}${advice}`);
}

export function replyInbox(ctx: Ctx): ReplyInbox {
  return {
    async recipient(address) {
      try {
        const { userId } = await verifyReplyAddress(ctx, address);
        const user = await ctx.store.get('users', userId);
        if (!user) throw new ReplyRefused('notParticipant', 'You no longer take part in this ticket.');
        return { email: user.email };
      } catch (e) {
        throw smtpRefusal(e);
      }
    },
    async deliver(reply) {
      try {
        await receiveEmailReply(ctx, {
          address: reply.address,
          from: reply.from,
          text: reply.body,
          attachments: reply.attachments.map(({ name, type, data }) => ({ name, type, data })),
          messageId: reply.messageId,
        });
      } catch (e) {
        throw smtpRefusal(e);
      }
    },
  };
}
