// The e-mail fallback of the ticket form on a stack without our tickets endpoint: a `mailto:` link
// (RFC 6068) carrying the subject, the description and the context block the form shows.

/** Mail apps cut long links; the description is shortened to keep the whole link usable. */
const DESCRIPTION_MAX = 1500;

export function ticketMailto(
  to: string,
  ticket: { subject: string; description: string },
  context: readonly (readonly [string, string])[],
  shortened: string,
): string {
  const description =
    ticket.description.length > DESCRIPTION_MAX
      ? `${ticket.description.slice(0, DESCRIPTION_MAX)}… ${shortened}`
      : ticket.description;
  const block = context.map(([k, v]) => `${k}: ${v}`).join('\n');
  const body = `${description}\n\n--\n${block}`.replace(/\r?\n/g, '\r\n');
  // The address part keeps its @; everything else is percent-encoded.
  const address = to
    .split('@')
    .map((p) => encodeURIComponent(p.trim()))
    .join('@');
  return `mailto:${address}?subject=${encodeURIComponent(ticket.subject)}&body=${encodeURIComponent(body)}`;
}

/** A plausible single address, so a host typo does not become a link to nowhere. */
export const isEmailAddress = (v: string | undefined): v is string =>
  typeof v === 'string' && /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/.test(v.trim());
