import type { CachedTicket } from '../db.ts';
import { stackLabel } from '../settings.ts';
import { formatTime } from './format.ts';

interface Props {
  tickets: CachedTicket[] | undefined;
  error: string | null;
  /** Said as information: e.g. a stack that has no tickets endpoint. */
  notes?: string[];
  /** Several stacks are set up: every row says which it came from. */
  showStack?: boolean;
  onRequest: (t: CachedTicket & { projectId: number }) => void;
}

export function Tickets({ tickets, error, notes = [], showStack = false, onRequest }: Props) {
  return (
    <div class="stack">
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {notes.map((n) => (
        <p key={n} class="muted" data-testid="tickets-note">
          {n}
        </p>
      ))}
      {!tickets && <p class="muted">Loading…</p>}
      {tickets?.length === 0 && <p class="muted">No tickets routed to you.</p>}
      {tickets && tickets.length > 0 && (
        <ul class="rows">
          {tickets.map((t) => (
            <li key={`${t.stack} ${t.id}`} class="row" data-testid="ticket-row" data-stack={t.stack}>
              <div class="row-main">
                <span class="project-name">
                  <span class="muted">{t.number}</span> {t.subject}
                </span>
              </div>
              <div class="reason">
                {t.projectName ? `${t.projectName} #${t.projectId}` : 'No project'}
                {showStack && <span data-testid="row-stack"> · {stackLabel(t.stack)}</span>} · from{' '}
                {t.reporterName} · {formatTime(t.created)}
              </div>
              <div class="row-foot">
                <span />
                <span class="actions">
                  {t.projectId !== null ? (
                    <button
                      type="button"
                      aria-label={`Request access for ticket ${t.number}`}
                      onClick={() => {
                        if (t.projectId !== null) onRequest({ ...t, projectId: t.projectId });
                      }}
                    >
                      Request access for this ticket
                    </button>
                  ) : (
                    <span class="muted">No project named</span>
                  )}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
