// Access for a ticket (issue 23): "Access allowed for SK-1001 until …: Join". The line is its own
// component so that a ticket's thread can show it too (TicketGrants); GrantOffers lists a project's on
// Get access.
import { useEffect, useState } from 'preact/hooks';
import type { AccessGrant } from '../../api/types.ts';
import { callWorker } from '../messages.ts';
import { parseTime } from '../time.ts';
import { formatMs } from './format.ts';

/** One grant the engineer may use, with its Join button. */
export function GrantLine({
  grant,
  offsetMs,
  busy,
  onJoin,
}: {
  grant: AccessGrant;
  /** The stack's server time minus this machine's: the end is said on this machine's clock. */
  offsetMs: number;
  busy: boolean;
  onJoin: (g: AccessGrant) => void;
}) {
  const end = parseTime(grant.expires) - offsetMs;
  return (
    <div class="notice info" data-testid="grant-offer">
      <p>
        <strong>Access allowed for {grant.ticket.number}</strong> until{' '}
        <time dateTime={new Date(end).toISOString()}>{formatMs(end)}</time>: {grant.grantedBy.name} let
        support into {grant.project.name} for “{grant.ticket.subject}”. No request needed.
      </p>
      <button
        type="button"
        class="primary"
        disabled={busy}
        aria-label={`Join ${grant.project.name} for ${grant.ticket.number}`}
        onClick={() => onJoin(grant)}
      >
        {busy ? 'Joining…' : 'Join'}
      </button>
    </div>
  );
}

type Joined = { name: string; until: number | null; stack: string; projectId: number; why: string };

/** The active grants of the picked project that this engineer may use, each with Join. */
export function GrantOffers({
  stack,
  projectId,
  offsetMs,
  onOpenProject,
}: {
  stack: string;
  projectId: number;
  offsetMs: number;
  onOpenProject: (stack: string, projectId: number) => void;
}) {
  const [grants, setGrants] = useState<AccessGrant[]>([]);
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState('');
  const [joined, setJoined] = useState<Joined | null>(null);
  useEffect(() => {
    let live = true;
    setGrants([]);
    setJoined(null);
    setError('');
    void callWorker('listGrants', { stack, projectId }).then((r) => {
      if (live && r.ok) setGrants(r.value);
    });
    return () => {
      live = false;
    };
  }, [stack, projectId]);

  const join = async (g: AccessGrant) => {
    setBusy(g.id);
    setError('');
    const r = await callWorker('joinWithGrant', { stack, grant: g });
    setBusy(null);
    if (!r.ok) return setError(r.error.message);
    if (r.value.kind !== 'joined') return;
    const until = r.value.expires ? parseTime(r.value.expires) - offsetMs : null;
    setJoined({ name: r.value.projectName, until, stack, projectId, why: r.value.why });
    setGrants([]);
  };

  if (!grants.length && !joined && !error) return null;
  return (
    <div aria-live="polite" class="stack">
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {joined ? (
        <div class="notice success" data-testid="grant-joined">
          <p>
            <strong>Joined {joined.name}</strong>
            {joined.until !== null && <> until {formatMs(joined.until)}</>}.
          </p>
          <p>{joined.why}</p>
          <button type="button" onClick={() => onOpenProject(joined.stack, joined.projectId)}>
            Open project
          </button>
        </div>
      ) : (
        grants.map((g) => (
          <GrantLine key={g.id} grant={g} offsetMs={offsetMs} busy={busy === g.id} onJoin={join} />
        ))
      )}
    </div>
  );
}

/**
 * On a ticket's thread: the active grants of this ticket that this engineer may use, each with Join.
 * Joining stores the access, so the thread's access line says it next; `mark` changes when the thread
 * gets a new grant entry, so a grant given while the thread is open shows without reopening it.
 */
export function TicketGrants({
  stack,
  projectId,
  ticketId,
  offsetMs,
  mark,
}: {
  stack: string;
  projectId: number;
  ticketId: number;
  offsetMs: number;
  mark: number;
}) {
  const [grants, setGrants] = useState<AccessGrant[]>([]);
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    void callWorker('listGrants', { stack, projectId }).then((r) => {
      // A grant is for one ticket: another ticket's grant of the same project is not offered here.
      if (live && r.ok) setGrants(r.value.filter((g) => g.ticket.id === ticketId));
    });
    return () => {
      live = false;
    };
  }, [stack, projectId, ticketId, mark]);

  const join = async (g: AccessGrant) => {
    setBusy(g.id);
    setError('');
    const r = await callWorker('joinWithGrant', { stack, grant: g });
    setBusy(null);
    if (!r.ok) return setError(r.error.message);
    setGrants([]);
  };

  if (!grants.length && !error) return null;
  return (
    <div aria-live="polite" class="stack" data-testid="thread-grants">
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {grants.map((g) => (
        <GrantLine key={g.id} grant={g} offsetMs={offsetMs} busy={busy === g.id} onJoin={join} />
      ))}
    </div>
  );
}
