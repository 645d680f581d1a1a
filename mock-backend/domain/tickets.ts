// Support tickets (our extension): filed once per idempotency key, e-mailed to the project's
// maintainer (or vendor support), listed to support staff, the maintainer's users and the reporter.
import {
  type CreateTicketBody,
  PAGE_LIMITS,
  TICKET_LIMITS,
  type Ticket,
  type TicketAttachment,
  type TicketContext,
} from '../../api/types.ts';
import type { TicketRow, UserRow } from '../store/schema.ts';
import { type Ctx, mutate, nowSec } from './context.ts';
import { contextRows, ticketMail } from './emails.ts';
import { notFound, tooLarge, validation } from './errors.ts';
import { iso, projectRef, userRefById } from './format.ts';
import { grantInTx } from './grants.ts';
import { cleanText, type TextField } from './inputs.ts';
import { sendMail } from './notify.ts';
import { assertViewer, outsiderIn, projectAccess } from './relations.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodedSize(data: string, key: string): number {
  const clean = data.replace(/\s+/g, '');
  if (clean.length % 4 !== 0 || !BASE64.test(clean)) throw validation(`${key} must be base64.`, key);
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return (clean.length / 4) * 3 - padding;
}

async function formatTicket(ctx: Ctx, t: TicketRow): Promise<Ticket> {
  const project = t.projectId === null ? undefined : await ctx.store.get('projects', t.projectId);
  return {
    id: t.id,
    number: t.number,
    created: iso(t.created),
    subject: t.subject,
    description: t.description,
    type: t.type as Ticket['type'],
    severity: t.severity as Ticket['severity'],
    project: project ? projectRef(project) : null,
    reporter: await userRefById(ctx, t.reporterId),
    routedTo: t.routedTo,
    context: t.context,
    attachments: t.attachments,
    // The conversation's fields come with the thread (issue 20); until then a ticket is as filed.
    status: 'new',
    assignee: null,
    lastActivity: iso(t.created),
    solved: null,
    messages: 0,
    unread: 0,
    follows: null,
  };
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

/** Same key and same user again: the first ticket, unchanged (and no second e-mail). */
export async function createTicket(
  ctx: Ctx,
  user: UserRow,
  idempotencyKey: string,
  body: CreateTicketBody,
): Promise<Ticket> {
  return mutate(ctx, async (ctx) => {
    const earlier = await ctx.store.first('tickets', { reporterId: user.id, idempotencyKey });
    if (earlier) return formatTicket(ctx, earlier);
    // The text rule on everything a person reads of it: the staff's list and e-mail, the reporter's.
    const subject = cleanText(body.subject, SUBJECT_FIELD);
    const description = cleanText(body.description, DESCRIPTION_FIELD);
    const attachments: TicketAttachment[] = (body.attachments ?? []).map((a, i) => {
      const name = cleanText(a.name, { key: `attachments[${i}].name`, label: 'Attachment name', max: 255 });
      if (!name) throw validation('Attachment name is required.', `attachments[${i}].name`);
      const type = cleanText(a.type, { key: `attachments[${i}].type`, label: 'Attachment type', max: 255 });
      const size = decodedSize(a.data, `attachments[${i}].data`);
      if (size > TICKET_LIMITS.attachmentBytesMax)
        throw tooLarge(`Attachment "${name}" is larger than ${TICKET_LIMITS.attachmentBytesMax} bytes.`);
      return { name, type, size };
    });
    const projectId = body.projectId ?? null;
    if (projectId !== null) assertViewer(await projectAccess(ctx, projectId, user));
    const routedTo = await routeFor(ctx, projectId);
    const context = cleanContext(body.context ?? {});
    const id = await ctx.store.insert('tickets', {
      number: '',
      reporterId: user.id,
      idempotencyKey,
      created: nowSec(ctx),
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
    const row = await ctx.store.get('tickets', id);
    if (!row) throw new Error('Ticket insert failed');
    // A decider may let support in with the ticket (issue 23): refused, the ticket is not filed either.
    if (body.grantAccess) await grantInTx(ctx, user, row, body.grantAccess.expirationSeconds);
    const ticket = await formatTicket(ctx, row);
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

/**
 * Support users see every ticket; maintainer users those of their organizations' projects; anyone
 * their own. Who is support or maintainer is the one outsider rule's answer, for the ticket's
 * organization (none for a ticket without a project).
 */
async function visible(ctx: Ctx, user: UserRow, t: TicketRow): Promise<boolean> {
  if (t.reporterId === user.id) return true;
  const project = t.projectId === null ? undefined : await ctx.store.get('projects', t.projectId);
  const org = (project && (await ctx.store.get('organizations', project.organizationId))) ?? null;
  return (await outsiderIn(ctx, org, user)) !== null;
}

/**
 * The projects whose tickets a non-support user sees as their maintainer: those of every
 * organization for which the outsider rule says `maintainer` (the candidates are the organizations of
 * the maintainers the user belongs to, so other customers' organizations are never even looked at).
 */
async function maintainedProjectIds(ctx: Ctx, user: UserRow): Promise<number[]> {
  const ids: number[] = [];
  for (const m of await ctx.store.find('maintainerMembers', { userId: user.id }))
    for (const org of await ctx.store.find('organizations', { maintainerId: m.maintainerId }))
      if ((await outsiderIn(ctx, org, user)) === 'maintainer')
        for (const p of await ctx.store.find('projects', { organizationId: org.id })) ids.push(p.id);
  return ids;
}

/**
 * Newest first, one page; what the caller may see (the rule of `visible`) is part of the query, so
 * tickets the caller cannot see are never loaded.
 */
export async function listTickets(
  ctx: Ctx,
  user: UserRow,
  page: { offset?: number; limit?: number } = {},
): Promise<Ticket[]> {
  const options = { desc: true, offset: page.offset ?? 0, limit: page.limit ?? PAGE_LIMITS.default };
  const rows =
    (await outsiderIn(ctx, null, user)) === 'support'
      ? await ctx.store.find('tickets', {}, options)
      : await ctx.store.find(
          'tickets',
          {},
          {
            ...options,
            anyOf: [{ reporterId: [user.id] }, { projectId: await maintainedProjectIds(ctx, user) }],
          },
        );
  return Promise.all(rows.map((t) => formatTicket(ctx, t)));
}

export async function getTicket(ctx: Ctx, user: UserRow, id: number): Promise<Ticket> {
  const t = await ctx.store.get('tickets', id);
  if (!t || !(await visible(ctx, user, t))) throw notFound(`Ticket ${id} not found`);
  return formatTicket(ctx, t);
}
