// Assignment and status of the open ticket. Each change is a button press, never a select's change
// event: arrowing through a closed select fires one per step in Chromium, and each would be a change
// in the thread and an e-mail.
import { useEffect, useState } from 'preact/hooks';
import type { SettableTicketStatus, UserRef } from '../../api/types.ts';
import { SETTABLE_TICKET_STATUSES } from '../../api/types.ts';
import type { CachedTicket } from '../db.ts';
import { callWorker, type Result } from '../messages.ts';
import { type Me, statusText } from './ticket-text.ts';

export function TicketControls({ ticket: t, me }: { ticket: CachedTicket; me: Me | undefined }) {
  const [assignees, setAssignees] = useState<UserRef[] | null>(null);
  // What was picked and not yet applied; null follows the ticket (as the stream or another window
  // changes it).
  const [pickedAssignee, setAssignTo] = useState<string | null>(null);
  const [pickedStatus, setStatus] = useState<SettableTicketStatus | null>(null);
  const assignTo = pickedAssignee ?? (t.assignee ? String(t.assignee.id) : '');
  const status = pickedStatus ?? settable(t.status);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState('');

  useEffect(() => {
    let gone = false;
    void callWorker('listAssignees', { stack: t.stack, ticketId: t.id }).then((r) => {
      if (!gone) setAssignees(r.ok ? r.value : []);
    });
    return () => {
      gone = true;
    };
  }, [t.stack, t.id]);

  async function run(key: string, said: string, call: () => Promise<Result<null>>) {
    setBusy(key);
    setError(null);
    setDone('');
    const res = await call();
    setBusy(null);
    if (!res.ok) {
      setError(res.error.message);
      return;
    }
    setDone(said);
    // Applied: that picker follows the ticket again (a pick in the other one stays).
    if (key === 'status') setStatus(null);
    else setAssignTo(null);
  }
  const update = (patch: { status?: SettableTicketStatus; assigneeId?: number | null }) => () =>
    callWorker('updateTicket', { stack: t.stack, ticketId: t.id, ...patch });

  const closed = t.status === 'closed';
  const chosen = assignTo === '' ? null : Number(assignTo);
  const people = assignees ?? (t.assignee ? [t.assignee] : []);
  return (
    <div class="ticket-controls" data-testid="ticket-controls">
      <div class="control-row">
        {me && t.assignee?.id !== me.id && (
          <button
            type="button"
            disabled={busy !== null || closed}
            onClick={() => void run('me', 'Assigned to you.', update({ assigneeId: me.id }))}
          >
            {busy === 'me' ? 'Assigning…' : 'Assign to me'}
          </button>
        )}
        <label class="inline" for={`assignee-${t.id}`}>
          Assignee
        </label>
        <select
          id={`assignee-${t.id}`}
          value={assignTo}
          disabled={closed}
          onChange={(e) => setAssignTo(e.currentTarget.value)}
        >
          <option value="">Unassigned</option>
          {people.map((u) => (
            <option key={u.id} value={String(u.id)}>
              {u.name}
              {u.id === me?.id ? ' (me)' : ''}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={busy !== null || closed || chosen === (t.assignee?.id ?? null)}
          onClick={() =>
            void run('assign', chosen === null ? 'Unassigned.' : 'Assigned.', update({ assigneeId: chosen }))
          }
        >
          {busy === 'assign' ? 'Assigning…' : 'Assign'}
        </button>
      </div>
      <div class="control-row">
        <label class="inline" for={`status-${t.id}`}>
          Status
        </label>
        <select
          id={`status-${t.id}`}
          value={status}
          disabled={closed}
          onChange={(e) => setStatus(e.currentTarget.value as SettableTicketStatus)}
        >
          {SETTABLE_TICKET_STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusText(s)}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={busy !== null || closed || status === t.status}
          onClick={() =>
            void run('status', `Status: ${statusText(status).toLowerCase()}.`, update({ status }))
          }
        >
          {busy === 'status' ? 'Changing…' : 'Change status'}
        </button>
      </div>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <p class="sr-only" role="status">
        {done}
      </p>
    </div>
  );
}

/** What the picker starts at: `new` shows as open (taking or answering opens it), `closed` as solved. */
function settable(s: CachedTicket['status']): SettableTicketStatus {
  return s === 'new' ? 'open' : s === 'closed' ? 'solved' : s;
}
