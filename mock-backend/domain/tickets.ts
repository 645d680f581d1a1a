// Support tickets (our extension): filed once per idempotency key, e-mailed to the project's
// maintainer (or vendor support), listed to support staff, the maintainer's users and the reporter.

import type { TicketView } from '../../api/limits.ts';
import {
  type CreateTicketBody,
  PAGE_LIMITS,
  TICKET_LIMITS,
  type Ticket,
  type TicketAttachment,
  type TicketAttachmentInput,
  type TicketContext,
  type TicketListQuery,
} from '../../api/types.ts';
import type { TicketReadRow, TicketRow, UserRow } from '../store/schema.ts';
import type { AnyOfFilter } from '../store/types.ts';
import { type Ctx, mutate, nowSec } from './context.ts';
import { contextRows, ticketMail } from './emails.ts';
import { tooLarge, validation } from './errors.ts';
import { iso, peopleOf, projectRef, userRefIn } from './format.ts';
import { grantInTx } from './grants.ts';
import { cleanText, type TextField } from './inputs.ts';
import { sendMail } from './notify.ts';
import { assertViewer, projectAccess } from './relations.ts';
import { firstState, ticketRef } from './thread.ts';
import {
  requireTicket,
  scopeGroups,
  type TicketScope,
  type TicketSide,
  ticketScope,
} from './ticket-access.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodedSize(data: string, key: string): number {
  const clean = data.replace(/\s+/g, '');
  if (clean.length % 4 !== 0 || !BASE64.test(clean)) throw validation(`${key} must be base64.`, key);
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return (clean.length / 4) * 3 - padding;
}

/**
 * Rows → Ticket for one reader, the people, projects, followed tickets and read marks of the whole
 * list read once. `sides` is the reader's side of each ticket (for its unread count); a ticket
 * missing from it counts nothing unread.
 */
export async function formatTickets(
  ctx: Ctx,
  rows: readonly TicketRow[],
  reader: { userId: number; sides: ReadonlyMap<number, TicketSide> } | null,
): Promise<Ticket[]> {
  if (rows.length === 0) return [];
  const people = await peopleOf(
    ctx,
    rows.flatMap((t) => [t.reporterId, t.assigneeId]),
  );
  const projectIds = rows.flatMap((t) => (t.projectId === null ? [] : [t.projectId]));
  const projects = await ctx.store.getMany('projects', [...new Set(projectIds)]);
  const followIds = rows.flatMap((t) => (t.followsId === null ? [] : [t.followsId]));
  const follows = await ctx.store.getMany('tickets', [...new Set(followIds)]);
  const reads = new Map<number, TicketReadRow>();
  if (reader)
    for (const r of await ctx.store.find(
      'ticketReads',
      { userId: reader.userId },
      { anyOf: [{ ticketId: rows.map((t) => t.id) }] },
    ))
      reads.set(r.ticketId, r);
  return rows.map((t) => {
    const project = t.projectId === null ? undefined : projects.get(t.projectId);
    const followed = t.followsId === null ? undefined : follows.get(t.followsId);
    const side = reader?.sides.get(t.id);
    const read = reads.get(t.id);
    const unread =
      side === 'staff'
        ? t.customerMessages - (read?.customerCount ?? 0)
        : side === 'customer'
          ? t.staffMessages - (read?.staffCount ?? 0)
          : 0;
    return {
      id: t.id,
      number: t.number,
      created: iso(t.created),
      subject: t.subject,
      description: t.description,
      type: t.type as Ticket['type'],
      severity: t.severity as Ticket['severity'],
      project: project ? projectRef(project) : null,
      reporter: userRefIn(people, t.reporterId),
      routedTo: t.routedTo,
      context: t.context,
      attachments: t.attachments,
      status: t.status,
      assignee: t.assigneeId === null ? null : userRefIn(people, t.assigneeId),
      lastActivity: iso(t.lastActivity),
      solved: t.solvedAt === null ? null : iso(t.solvedAt),
      messages: t.customerMessages + t.staffMessages,
      unread: Math.max(0, unread),
      follows: followed ? ticketRef(followed) : null,
    };
  });
}

/** One ticket for a reader on `side`. */
export async function formatTicket(
  ctx: Ctx,
  t: TicketRow,
  userId: number,
  side: TicketSide,
): Promise<Ticket> {
  const [ticket] = await formatTickets(ctx, [t], { userId, sides: new Map([[t.id, side]]) });
  if (!ticket) throw new Error('Ticket format failed');
  return ticket;
}

async function routeFor(ctx: Ctx, projectId: number | null): Promise<string> {
  if (projectId === null) return ctx.vendorSupportEmail;
  const project = await ctx.store.get('projects', projectId);
  const org = project && (await ctx.store.get('organizations', project.organizationId));
  const maintainer = org && (await ctx.store.get('maintainers', org.maintainerId));
  return maintainer?.supportEmail || ctx.vendorSupportEmail;
}

const SUBJECT_FIELD: TextField = {
  key: 'subject',
  label: 'Subject',
  max: TICKET_LIMITS.subjectMax,
  required: true,
};
const DESCRIPTION_FIELD: TextField = {
  key: 'description',
  label: 'Description',
  max: TICKET_LIMITS.descriptionMax,
  multiline: true,
  required: true,
};

/**
 * The page's context, as staff read it: one line each, the error's message may have several. The
 * lengths were checked with the body (its schema in api/schemas.ts); the values are kept as given.
 */
function cleanContext(context: TicketContext): TicketContext {
  const line = (key: string, value: string | undefined) => {
    if (value !== undefined) cleanText(value, { key, label: key, max: Number.POSITIVE_INFINITY });
  };
  line('context.pageUrl', context.pageUrl);
  line('context.browser', context.browser);
  line('context.viewport', context.viewport);
  line('context.locale', context.locale);
  line('context.appVersion', context.appVersion);
  const error = context.error;
  if (error) {
    cleanText(error.message, {
      key: 'context.error.message',
      label: 'context.error.message',
      max: Number.POSITIVE_INFINITY,
      multiline: true,
    });
    line('context.error.exceptionId', error.exceptionId);
    line('context.error.requestId', error.requestId);
    line('context.error.url', error.url);
  }
  return context;
}

/** Attachments' names and types through the text rule, their sizes under TICKET_LIMITS. */
export function cleanAttachments(list: readonly TicketAttachmentInput[] | undefined): TicketAttachment[] {
  return (list ?? []).map((a, i) => {
    const name = cleanText(a.name, { key: `attachments[${i}].name`, label: 'Attachment name', max: 255 });
    if (!name) throw validation('Attachment name is required.', `attachments[${i}].name`);
    const type = cleanText(a.type, { key: `attachments[${i}].type`, label: 'Attachment type', max: 255 });
    const size = decodedSize(a.data, `attachments[${i}].data`);
    if (size > TICKET_LIMITS.attachmentBytesMax)
      throw tooLarge(`Attachment "${name}" is larger than ${TICKET_LIMITS.attachmentBytesMax} bytes.`);
    return { name, type, size };
  });
}

/**
 * The ticket a new one follows up: a closed ticket the caller filed (a closed one takes no reply;
 * the widget offers a new ticket that links it). One the caller may not see is 404, as everywhere.
 */
async function followable(ctx: Ctx, user: UserRow, id: number | undefined): Promise<number | null> {
  if (id === undefined) return null;
  const { ticket } = await requireTicket(ctx, user, id);
  if (ticket.reporterId !== user.id)
    throw validation('Only a ticket you filed can be followed up by your new one.', 'followsTicketId');
  if (ticket.status !== 'closed')
    throw validation(
      `Ticket ${ticket.number} is not closed: reply in its thread instead.`,
      'followsTicketId',
    );
  return ticket.id;
}

/** Same key and same user again: the first ticket, unchanged (and no second e-mail). */
export async function createTicket(
  ctx: Ctx,
  user: UserRow,
  idempotencyKey: string,
  body: CreateTicketBody,
): Promise<Ticket> {
  return mutate(ctx, async (ctx) => {
    const earlier = await ctx.store.first('tickets', { reporterId: user.id, idempotencyKey });
    if (earlier) return formatTicket(ctx, earlier, user.id, 'customer');
    // The text rule on everything a person reads of it: the staff's list and e-mail, the reporter's.
    const subject = cleanText(body.subject, SUBJECT_FIELD);
    const description = cleanText(body.description, DESCRIPTION_FIELD);
    const attachments = cleanAttachments(body.attachments);
    const projectId = body.projectId ?? null;
    if (projectId !== null) assertViewer(await projectAccess(ctx, projectId, user));
    const followsId = await followable(ctx, user, body.followsTicketId);
    const routedTo = await routeFor(ctx, projectId);
    const context = cleanContext(body.context ?? {});
    const created = nowSec(ctx);
    const id = await ctx.store.insert('tickets', {
      ...firstState(created),
      followsId,
      number: '',
      reporterId: user.id,
      idempotencyKey,
      created,
      subject,
      description,
      type: body.type,
      severity: body.severity ?? null,
      projectId,
      routedTo,
      context,
      attachments,
    });
    await ctx.store.update('tickets', id, { number: `SK-${1000 + id}` });
    // The reporter's read mark from the start: the launcher's badge reads the marks alone.
    await ctx.store.insert('ticketReads', {
      ticketId: id,
      userId: user.id,
      lastReadId: 0,
      customerCount: 0,
      staffCount: 0,
    });
    const row = await ctx.store.get('tickets', id);
    if (!row) throw new Error('Ticket insert failed');
    // A decider may let support in with the ticket (issue 23): refused, the ticket is not filed either.
    if (body.grantAccess) await grantInTx(ctx, user, row, body.grantAccess.expirationSeconds);
    const ticket = await formatTicket(ctx, row, user.id, 'customer');
    await sendMail(
      ctx,
      ticketMail(
        routedTo,
        {
          number: ticket.number,
          subject,
          description,
          type: ticket.type,
          severity: ticket.severity,
          project: ticket.project,
          reporter: ticket.reporter,
          context: contextRows(context, ctx.mailLocale),
          attachments: attachments.map((a) => ({ name: a.name, size: a.size })),
        },
        ctx.mailLocale,
      ),
    );
    return ticket;
  });
}

/** The views of the ticket list, as a filter and `anyOf` groups within what the caller may see. */
function viewQuery(
  view: TicketView,
  scope: TicketScope,
): { filter: Partial<TicketRow>; anyOf: AnyOfFilter<'tickets'>[] | undefined } {
  const groups = scopeGroups(scope);
  const all = groups ?? [{}];
  const within = (extra: AnyOfFilter<'tickets'>) => all.map((g) => ({ ...g, ...extra }));
  switch (view) {
    case 'mine': {
      // A customer's are those they filed (one index, no OR); staff's also those assigned to them,
      // within what they see as staff.
      const me = scope.userId;
      if (scope.support) return { filter: {}, anyOf: [{ reporterId: [me] }, { assigneeId: [me] }] };
      if (!scope.staff.length) return { filter: { reporterId: me }, anyOf: undefined };
      return { filter: {}, anyOf: [{ reporterId: [me] }, { projectId: scope.staff, assigneeId: [me] }] };
    }
    case 'unassigned':
      return { filter: { assigneeId: null }, anyOf: within({ status: ['new', 'open', 'waiting'] }) };
    case 'waiting':
      return { filter: { status: 'waiting' }, anyOf: groups ?? undefined };
    default:
      return { filter: {}, anyOf: groups ?? undefined };
  }
}

/**
 * Newest activity first, one page of a view; what the caller may see (ticket-access.ts) is part of
 * the query, so tickets the caller cannot see are never loaded.
 */
export async function listTickets(ctx: Ctx, user: UserRow, q: TicketListQuery = {}): Promise<Ticket[]> {
  const view = q.view ?? 'all';
  if (view === 'project' && q.projectId === undefined)
    throw validation('view=project needs a projectId.', 'projectId');
  const scope = await ticketScope(ctx, user);
  const { filter, anyOf } = viewQuery(view, scope);
  const rows = await ctx.store.find(
    'tickets',
    q.projectId === undefined ? filter : { ...filter, projectId: q.projectId },
    {
      anyOf,
      orderBy: 'lastActivity',
      desc: true,
      offset: q.offset ?? 0,
      limit: q.limit ?? PAGE_LIMITS.default,
    },
  );
  const staffProjects = new Set(scope.staff);
  const sides = new Map<number, TicketSide>();
  for (const t of rows)
    sides.set(
      t.id,
      scope.support || (t.projectId !== null && staffProjects.has(t.projectId)) ? 'staff' : 'customer',
    );
  return formatTickets(ctx, rows, { userId: user.id, sides });
}

export async function getTicket(ctx: Ctx, user: UserRow, id: number): Promise<Ticket> {
  const { ticket, side } = await requireTicket(ctx, user, id);
  return formatTicket(ctx, ticket, user.id, side);
}
