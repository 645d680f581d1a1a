import type { TrackedAccess, TrackedRequest } from '../db.ts';
import { Clamp } from './Clamp.tsx';
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
  /** The server's time now: what countdowns count from. */
  serverNow?: number;
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

interface RowProps {
  testid: 'request-row' | 'access-row' | 'recent-row';
  projectId: number;
  projectName: string;
  status: string;
  reason: string | null;
  /** Countdown or "… ago". */
  when: string;
  whenTitle?: string | undefined;
  onOpen?: () => void;
  /** Cancel for a pending request, Leave for an active access; recent outcomes have none. */
  action?: { label: string; ariaLabel: string; busy: boolean; run: () => void };
}

function Row({ testid, projectId, projectName, status, reason, when, whenTitle, onOpen, action }: RowProps) {
  return (
    <li class={action ? 'row' : 'row compact'} data-testid={testid} data-project={projectId}>
      <div class="row-main">
        <span class="project-name">
          {projectName} <span class="muted">#{projectId}</span>
        </span>
        <Status status={status} />
      </div>
      {reason && <Clamp class="reason" text={reason} />}
      {action ? (
        <div class="row-foot">
          <span class="countdown" title={whenTitle}>
            {when}
          </span>
          <span class="actions">
            <button type="button" aria-label={`Open project ${projectName}`} onClick={onOpen}>
              Open project
            </button>
            <button type="button" aria-label={action.ariaLabel} disabled={action.busy} onClick={action.run}>
              {action.label}
            </button>
          </span>
        </div>
      ) : (
        <div class="countdown">{when}</div>
      )}
    </li>
  );
}

export function MyAccess({ data, now, serverNow = now, busy, onOpen, onCancel, onLeave }: Props) {
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
              <Row
                key={`r${r.id}`}
                testid="request-row"
                projectId={r.projectId}
                projectName={r.projectName}
                status="pending"
                reason={r.reason}
                when={r.expires ? countdown(r.expires, serverNow).replace(' left', ' left to decide') : ''}
                onOpen={() => onOpen(r.projectId)}
                action={{
                  label: 'Cancel',
                  ariaLabel: `Cancel request for ${r.projectName}`,
                  busy: busy === `cancel${r.id}`,
                  run: () => onCancel(r),
                }}
              />
            ))}
          </ul>
        </section>
      )}
      {data.active.length > 0 && (
        <section aria-labelledby="h-active">
          <h2 id="h-active">Active</h2>
          <ul class="rows">
            {data.active.map((a) => {
              const left = countdown(a.expires, serverNow);
              return (
                <Row
                  key={`a${a.projectId}`}
                  testid="access-row"
                  projectId={a.projectId}
                  projectName={a.projectName}
                  status={left === 'expired' ? 'expired' : a.via}
                  reason={a.reason}
                  when={left}
                  whenTitle={a.expires ? `Ends ${formatTime(a.expires)}` : undefined}
                  onOpen={() => onOpen(a.projectId)}
                  action={{
                    label: 'Leave',
                    ariaLabel: `Leave project ${a.projectName}`,
                    busy: busy === `leave${a.projectId}`,
                    run: () => onLeave(a),
                  }}
                />
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
              <Row
                key={r.key}
                testid="recent-row"
                projectId={r.projectId}
                projectName={r.projectName}
                status={r.status}
                reason={r.reason}
                when={ago(r.at, now)}
              />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
