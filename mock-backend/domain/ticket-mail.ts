// Who a thread's message is e-mailed to (issue 20): a staff reply to the reporter and to the
// project's deciders who wrote in the thread; a customer's to the assignee, or to the maintainer's
// support address (the ticket's routedTo) while nobody has taken it. Never to the author. Each
// e-mail to a user carries that user's reply address for the ticket (reply-address.ts); the support
// address is no user, so its e-mail has none (staff answer in the extension).
import type { TicketMessage } from '../../api/types.ts';
import type { TicketRow, UserRow } from '../store/schema.ts';
import type { TxCtx } from './context.ts';
import { ticketReplyMail } from './emails.ts';
import { sendMail } from './notify.ts';
import { replyAddress } from './reply-address.ts';
import { eventProject } from './thread.ts';
import { type TicketSide, ticketSide } from './ticket-access.ts';

/** The users a message goes to, by the rule above; each still sees the ticket, none is the author. */
async function recipientsOf(ctx: TxCtx, t: TicketRow, author: UserRow, side: TicketSide): Promise<UserRow[]> {
  const ids = new Set<number>();
  if (side === 'staff') {
    ids.add(t.reporterId);
    // Deciders who wrote: customer-side messages of anyone but the reporter.
    for (const m of await ctx.store.find('ticketMessages', {
      ticketId: t.id,
      kind: 'message',
      side: 'customer',
    }))
      if (m.authorId !== null) ids.add(m.authorId);
  } else if (t.assigneeId !== null) ids.add(t.assigneeId);
  ids.delete(author.id);
  const out: UserRow[] = [];
  for (const u of (await ctx.store.getMany('users', [...ids])).values()) {
    const theirs = await ticketSide(ctx, u, t);
    // A staff reply goes to the customer side; a customer's to the staff side.
    if (theirs !== null && theirs !== side) out.push(u);
  }
  return out;
}

export async function mailReply(
  ctx: TxCtx,
  t: TicketRow,
  author: UserRow,
  side: TicketSide,
  message: TicketMessage,
): Promise<void> {
  const facts = {
    number: t.number,
    subject: t.subject,
    author: { id: author.id, name: author.name, email: author.email },
    side,
    body: message.body,
    attachments: message.attachments.map((a) => ({ name: a.name, size: a.size })),
    status: t.status,
    project: await eventProject(ctx, t),
  };
  const users = await recipientsOf(ctx, t, author, side);
  for (const u of users)
    await sendMail(ctx, ticketReplyMail(u.email, await replyAddress(ctx, t.id, u.id), facts, ctx.mailLocale));
  // Nobody has taken it: the maintainer's support address hears the customer.
  if (side === 'customer' && t.assigneeId === null && t.routedTo)
    await sendMail(ctx, ticketReplyMail(t.routedTo, null, facts, ctx.mailLocale));
}
