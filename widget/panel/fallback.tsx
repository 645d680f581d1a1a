// The ticket form on a stack without our tickets endpoint (a Keboola stack): the host's submitTicket,
// and the e-mail to supportEmail. A chunk of its own, loaded only there (the support path stays small).
import type { ApiResult } from '../../api/transport.ts';
import type { CreateTicketBody, Ticket } from '../../api/types.ts';
import { format } from '../common/format.ts';
import type { Strings } from '../strings/types.ts';
import type { SupportKitOptions } from '../types.ts';
import { isEmailAddress, ticketMailto } from './mailto.ts';
import { base64Size } from './models/draft.ts';

/** Hands the ticket to the host; the id it returns becomes the ticket's number. */
export async function viaHost(
  submit: NonNullable<SupportKitOptions['submitTicket']>,
  body: CreateTicketBody,
  o: SupportKitOptions,
): Promise<ApiResult<Ticket>> {
  try {
    const id = String(await submit(body)).trim();
    if (!id || id === 'undefined' || id === 'null') throw new Error('submitTicket returned no id');
    const created = new Date().toISOString();
    const ticket: Ticket = {
      id: /^\d+$/.test(id) ? Number(id) : 0,
      number: id,
      created,
      status: 'new',
      assignee: null,
      lastActivity: created,
      solved: null,
      messages: 0,
      unread: 0,
      follows: null,
      subject: body.subject,
      description: body.description,
      type: body.type,
      severity: body.severity ?? null,
      project: o.project ?? null,
      reporter: { id: o.user?.id ?? 0, name: o.user?.name ?? '', email: o.user?.email ?? '' },
      routedTo: 'host',
      context: body.context ?? {},
      attachments: (body.attachments ?? []).map((a) => ({
        name: a.name,
        type: a.type,
        size: base64Size(a.data),
      })),
    };
    // No HTTP exchange happened: the result stands for the host's answer.
    return { data: ticket, error: undefined, response: new Response(null, { status: 201 }) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      data: undefined,
      error: { kind: 'unsupported', code: 'unsupported', extension: 'tickets', httpStatus: 404, message },
      response: undefined,
    };
  }
}

/** The e-mail link with subject, description and the context block, when supportEmail is an address. */
export function EmailFallback(p: {
  to: string | undefined;
  subject: string;
  description: string;
  context: [string, string][];
  s: Strings;
}) {
  if (!isEmailAddress(p.to)) return null;
  const to = p.to.trim();
  return (
    <p class="email-fallback">
      <a
        class="btn primary"
        href={ticketMailto(
          to,
          { subject: p.subject, description: p.description },
          p.context,
          p.s.emailShortened,
        )}
        aria-describedby="sk-email-hint"
      >
        {format(p.s.emailTicket, { email: to })}
      </a>
      <span id="sk-email-hint" class="muted">
        {p.s.emailTicketHint}
      </span>
    </p>
  );
}
