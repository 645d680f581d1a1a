import type { TrackedAccess, TrackedRequest } from '../db.ts';
import { ago, countdown, formatTime } from './format.ts';

export interface MyAccessData {
  pending: TrackedRequest[];
  active: TrackedAccess[];
  recent: RecentItem[];
}

export interface RecentItem {
  key: string;
  projectId: number;
  projectName: string;
  reason: string | null;
  status: string;
  at: number;
}

interface Props {
  data: MyAccessData | undefined;
  now: number;
  busy: string | null;
  onOpen: (projectId: number) => void;
  onCancel: (r: TrackedRequest) => void;
  onLeave: (a: TrackedAccess) => void;
}

function Status({ status }: { status: string }) {
  return (
    <span class={`status status-${status}`} data-testid="status">
      {status}
    </span>
  );
}

function Project({ id, name }: { id: number; name: string }) {
  return (
    <span class="project-name">
      {name} <span class="muted">#{id}</span>
    </span>
  );
}

export function MyAccess({ data, now, busy, onOpen, onCancel, onLeave }: Props) {
  if (!data) return <p class="muted">Loading…</p>;
  const empty = !data.pending.length && !data.active.length && !data.recent.length;
  return (
    <div class="stack">
      {empty && <p class="muted">No requests or accesses yet. Use “Get access”.</p>}
      {data.pending.length > 0 && (
        <section aria-labelledby="h-pending">
          <h2 id="h-pending">Pending requests</h2>
          <ul class="rows">
            {data.pending.map((r) => (
              <li key={`r${r.id}`} class="row" data-testid="request-row" data-project={r.projectId}>
                <div class="row-main">
                  <Project id={r.projectId} name={r.projectName} />
                  <Status status="pending" />
                </div>
                {r.reason && <div class="reason">{r.reason}</div>}
                <div class="row-foot">
                  <span class="countdown">
                    {r.expires ? `${countdown(r.expires, now).replace(' left', ' left to decide')}` : ''}
                  </span>
                  <span class="actions">
                    <button
                      type="button"
                      aria-label={`Open project ${r.projectName}`}
                      onClick={() => onOpen(r.projectId)}
                    >
                      Open project
                    </button>
                    <button
                      type="button"
                      aria-label={`Cancel request for ${r.projectName}`}
                      disabled={busy === `cancel${r.id}`}
                      onClick={() => onCancel(r)}
                    >
                      Cancel
                    </button>
                  </span>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      {data.active.length > 0 && (
        <section aria-labelledby="h-active">
          <h2 id="h-active">Active</h2>
          <ul class="rows">
            {data.active.map((a) => {
              const left = countdown(a.expires, now);
              return (
                <li key={`a${a.projectId}`} class="row" data-testid="access-row" data-project={a.projectId}>
                  <div class="row-main">
                    <Project id={a.projectId} name={a.projectName} />
                    <Status status={left === 'expired' ? 'expired' : a.via} />
                  </div>
                  {a.reason && <div class="reason">{a.reason}</div>}
                  <div class="row-foot">
                    <span class="countdown" title={a.expires ? `Ends ${formatTime(a.expires)}` : undefined}>
                      {left}
                    </span>
                    <span class="actions">
                      <button
                        type="button"
                        aria-label={`Open project ${a.projectName}`}
                        onClick={() => onOpen(a.projectId)}
                      >
                        Open project
                      </button>
                      <button
                        type="button"
                        aria-label={`Leave project ${a.projectName}`}
                        disabled={busy === `leave${a.projectId}`}
                        onClick={() => onLeave(a)}
                      >
                        Leave
                      </button>
                    </span>
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {data.recent.length > 0 && (
        <section aria-labelledby="h-recent">
          <h2 id="h-recent">Recent outcomes</h2>
          <ul class="rows">
            {data.recent.map((r) => (
              <li key={r.key} class="row compact" data-testid="recent-row" data-project={r.projectId}>
                <div class="row-main">
                  <Project id={r.projectId} name={r.projectName} />
                  <Status status={r.status} />
                </div>
                {r.reason && <div class="reason">{r.reason}</div>}
                <div class="countdown">{ago(r.at, now)}</div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
