import type { TrackedAccess, TrackedRequest } from '../db.ts';
import { stackLabel } from '../settings.ts';
import { Clamp } from './Clamp.tsx';
import { ago, countdownOf, formatMs, localEnd } from './format.ts';

export interface MyAccessData {
  pending: TrackedRequest[];
  active: TrackedAccess[];
  recent: RecentItem[];
}

export interface RecentItem {
  key: string;
  stack: string;
  projectId: number;
  projectName: string;
  reason: string | null;
  status: string;
  at: number;
}

interface Props {
  data: MyAccessData | undefined;
  /** Several stacks are set up: every row says which it is on. */
  showStack?: boolean;
  now: number;
  /** A stack's server time minus this machine's (ms): what countdowns of its rows count with. */
  offsetOf?: (stack: string) => number;
  busy: string | null;
  onOpen: (stack: string, projectId: number) => void;
  onCancel: (r: TrackedRequest) => void;
  /** `opener`: the Leave button, where focus goes back when the confirmation closes. */
  onLeave: (a: TrackedAccess, opener: HTMLElement) => void;
  /** A past outcome: Get access with its project, stack and reason filled in. */
  onRequestAgain?: (r: RecentItem) => void;
}

/** Past outcomes worth asking again after (an approval without its access is nothing to redo). */
const ASK_AGAIN = new Set(['expired', 'rejected', 'cancelled', 'left', 'ended']);

function Status({ status }: { status: string }) {
  return (
    <span class={`status status-${status}`} data-testid="status">
      {status}
    </span>
  );
}

interface RowProps {
  testid: 'request-row' | 'access-row' | 'recent-row';
  stack: string;
  showStack: boolean;
  projectId: number;
  projectName: string;
  status: string;
  reason: string | null;
  /** Countdown or "… ago". */
  when: string;
  whenTitle?: string | undefined;
  onOpen?: () => void;
  /** Cancel for a pending request, Leave for an active access. */
  action?: { label: string; ariaLabel: string; busy: boolean; run: (opener: HTMLElement) => void };
  /** A recent outcome's one action: ask again (no Open project: the access is gone). */
  again?: { ariaLabel: string; run: () => void };
}

function Row({
  testid,
  stack,
  showStack,
  projectId,
  projectName,
  status,
  reason,
  when,
  whenTitle,
  onOpen,
  action,
  again,
}: RowProps) {
  const on = showStack ? ` on ${stackLabel(stack)}` : '';
  return (
    <li
      class={action ? 'row' : 'row compact'}
      data-testid={testid}
      data-project={projectId}
      data-stack={stack}
    >
      <div class="row-main">
        <span class="project-name">
          {projectName} <span class="muted">#{projectId}</span>
          {showStack && (
            <span class="muted stack-name" data-testid="row-stack">
              {' '}
              · {stackLabel(stack)}
            </span>
          )}
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
            <button type="button" aria-label={`Open project ${projectName}${on}`} onClick={onOpen}>
              Open project
            </button>
            <button
              type="button"
              aria-label={action.ariaLabel}
              disabled={action.busy}
              onClick={(e) => action.run(e.currentTarget)}
            >
              {action.label}
            </button>
          </span>
        </div>
      ) : again ? (
        <div class="row-foot">
          <span class="countdown">{when}</span>
          <span class="actions">
            <button type="button" aria-label={again.ariaLabel} onClick={again.run}>
              Request again
            </button>
          </span>
        </div>
      ) : (
        <div class="countdown">{when}</div>
      )}
    </li>
  );
}

export function MyAccess({
  data,
  showStack = false,
  now,
  offsetOf = () => 0,
  busy,
  onOpen,
  onCancel,
  onLeave,
  onRequestAgain,
}: Props) {
  const on = (stack: string) => (showStack ? ` on ${stackLabel(stack)}` : '');
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
                key={`r ${r.stack} ${r.id}`}
                testid="request-row"
                stack={r.stack}
                showStack={showStack}
                projectId={r.projectId}
                projectName={r.projectName}
                status="pending"
                reason={r.reason}
                when={
                  r.expires ? countdownOf(r, now, offsetOf(r.stack)).replace(' left', ' left to decide') : ''
                }
                onOpen={() => onOpen(r.stack, r.projectId)}
                action={{
                  label: 'Cancel',
                  ariaLabel: `Cancel request for ${r.projectName}${on(r.stack)}`,
                  busy: busy === `cancel ${r.stack} ${r.id}`,
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
              const left = countdownOf(a, now, offsetOf(a.stack));
              const end = localEnd(a, offsetOf(a.stack));
              return (
                <Row
                  key={`a ${a.stack} ${a.projectId}`}
                  testid="access-row"
                  stack={a.stack}
                  showStack={showStack}
                  projectId={a.projectId}
                  projectName={a.projectName}
                  status={left === 'expired' ? 'expired' : a.via}
                  reason={a.reason}
                  when={left}
                  whenTitle={end !== null ? `Ends ${formatMs(end)}` : undefined}
                  onOpen={() => onOpen(a.stack, a.projectId)}
                  action={{
                    label: 'Leave',
                    ariaLabel: `Leave project ${a.projectName}${on(a.stack)}`,
                    busy: busy === `leave ${a.stack} ${a.projectId}`,
                    run: (opener) => onLeave(a, opener),
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
                stack={r.stack}
                showStack={showStack}
                projectId={r.projectId}
                projectName={r.projectName}
                status={r.status}
                reason={r.reason}
                when={ago(r.at, now)}
                again={
                  onRequestAgain && ASK_AGAIN.has(r.status)
                    ? {
                        ariaLabel: `Request again for ${r.projectName}${on(r.stack)}`,
                        run: () => onRequestAgain(r),
                      }
                    : undefined
                }
              />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
