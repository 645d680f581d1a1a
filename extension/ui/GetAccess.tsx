import { REASON_MAX } from '../access.ts';
import type { TrackedRequest } from '../db.ts';
import type { AccessForm } from './access-form.ts';
import { Clamp } from './Clamp.tsx';
import { DURATION_PRESETS, formatDuration, formatTime, MAX_CUSTOM_HOURS } from './format.ts';

/** A project the extension knows by name: looked up before, in a ticket, or one of my accesses. */
export interface KnownProject {
  id: number;
  name: string;
  source: 'recent' | 'ticket';
}

interface Props {
  form: AccessForm;
  known?: KnownProject[];
  /** This user's pending request for the picked project: shown instead of the form. */
  pending?: TrackedRequest | undefined;
  /** Text of the time left to decide the pending request. */
  pendingLeft?: string;
  cancelling?: boolean;
  onCancel?: (r: TrackedRequest) => void;
  onOpenProject: (projectId: number) => void;
  onShowMine: () => void;
}

function PendingCard({
  r,
  left,
  busy,
  onCancel,
  onShowMine,
}: {
  r: TrackedRequest;
  left: string;
  busy: boolean;
  onCancel?: ((r: TrackedRequest) => void) | undefined;
  onShowMine: () => void;
}) {
  return (
    <div class="notice info pending-card" data-testid="pending-request">
      <p>
        <strong>You already asked for access to {r.projectName}</strong>: the request is waiting for a project
        admin. You will be notified of the decision.
      </p>
      {r.reason && <Clamp class="reason" text={`Reason: ${r.reason}`} />}
      {left && <p class="muted">{left}</p>}
      <div class="row-actions">
        <button type="button" disabled={busy} onClick={() => onCancel?.(r)}>
          {busy ? 'Cancelling…' : 'Cancel request'}
        </button>
        <button type="button" onClick={onShowMine}>
          See my access
        </button>
      </div>
    </div>
  );
}

/** Known projects whose name (or id) contains what was typed; recent ones first when nothing is. */
export function matchProjects(known: KnownProject[], typed: string, limit = 6): KnownProject[] {
  const q = typed.trim().toLowerCase();
  const seen = new Set<number>();
  return known
    .filter((p) => {
      if (seen.has(p.id)) return false;
      seen.add(p.id);
      return true;
    })
    .filter((p) => !q || p.name.toLowerCase().includes(q) || String(p.id).startsWith(q))
    .slice(0, limit);
}

export function GetAccess({
  form,
  known = [],
  pending,
  pendingLeft = '',
  cancelling = false,
  onCancel,
  onOpenProject,
  onShowMine,
}: Props) {
  const p = form.project;
  const result = form.result;
  const showPending = pending && !(result?.ok && result.outcome.kind === 'requested');
  // Typing a name (not an id or URL) searches the projects the extension knows.
  const byName = form.projectId === null;
  const matches = byName ? matchProjects(known, form.projectInput) : [];
  const typed = form.projectInput.trim();
  const joinedId = result?.ok && result.outcome.kind === 'joined' ? result.outcome.projectId : 0;
  return (
    <form
      class="stack"
      aria-label="Get access to a project"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit();
      }}
    >
      <div class="field">
        <label for="project">Project</label>
        <input
          id="project"
          name="project"
          autocomplete="off"
          placeholder="Project name, id or URL"
          value={form.projectInput}
          aria-describedby="project-help"
          aria-invalid={form.projectError ? true : undefined}
          onInput={(e) => form.setProjectInput(e.currentTarget.value)}
        />
        <div id="project-help" class="help" aria-live="polite">
          {form.looking && 'Looking up the project…'}
          {form.projectError && !matches.length && (
            <span class="error-text">
              {typed && byName
                ? `No known project is named “${typed}”. Enter its id (e.g. 100) or URL (…/admin/projects/100).`
                : form.projectError}
            </span>
          )}
          {p && (
            <span data-testid="project-info">
              <strong>{p.name}</strong> · {p.organizationName}
              {form.source === 'tab' && ' · from the current tab'}
              {form.source === 'ticket' && ' · from a ticket'}
              <br />
              {p.allowAutoJoin === true && 'Auto Join is on: you will join at once.'}
              {p.allowAutoJoin === false && 'Auto Join is off: a project admin must approve your request.'}
              {p.allowAutoJoin === null && 'Auto Join unknown: a request will be sent.'}
            </span>
          )}
          {!p &&
            !form.looking &&
            !form.projectError &&
            !matches.length &&
            'e.g. Acme, 100 or …/admin/projects/100'}
        </div>
        {matches.length > 0 && (
          <div data-testid="project-matches">
            <div class="help" id="matches-h">
              {typed
                ? 'Known projects matching your text:'
                : 'Recent projects and projects named in tickets:'}
            </div>
            <ul class="suggest" aria-labelledby="matches-h">
              {matches.map((m) => (
                <li key={m.id}>
                  <button
                    type="button"
                    onClick={() =>
                      form.setProjectInput(String(m.id), m.source === 'ticket' ? 'ticket' : 'typed')
                    }
                  >
                    <span>
                      {m.name} <span class="muted">#{m.id}</span>
                    </span>
                    <span class="muted">{m.source === 'ticket' ? 'from a ticket' : 'recent'}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>

      {pending && !showPending ? null : showPending && pending ? (
        <PendingCard
          r={pending}
          left={pendingLeft}
          busy={cancelling}
          onCancel={onCancel}
          onShowMine={onShowMine}
        />
      ) : (
        <>
          <div class="field">
            <label for="reason">Reason</label>
            <textarea
              id="reason"
              name="reason"
              rows={2}
              required
              aria-required="true"
              maxLength={REASON_MAX}
              placeholder="Ticket number and what you will do"
              value={form.reason}
              aria-describedby="reason-count"
              onInput={(e) => form.setReason(e.currentTarget.value)}
            />
            {/* Before the limit, not at it: the count turns to a warning in the last 100 characters. */}
            <div
              id="reason-count"
              class={form.reason.length > REASON_MAX - 100 ? 'counter warn-text' : 'counter'}
              data-testid="reason-count"
            >
              {form.reason.length} / {REASON_MAX}
              <span class="sr-only"> characters</span>
            </div>
          </div>

          <fieldset class="field">
            <legend>Duration</legend>
            <div class="chips">
              {DURATION_PRESETS.map((d) => (
                <label key={d.id} class="chip">
                  <input
                    type="radio"
                    name="duration"
                    value={d.id}
                    checked={form.preset === d.id}
                    onChange={() => form.setPreset(d.id)}
                  />
                  <span>{d.label}</span>
                </label>
              ))}
              <label class="chip">
                <input
                  type="radio"
                  name="duration"
                  value="custom"
                  checked={form.preset === 'custom'}
                  onChange={() => form.setPreset('custom')}
                />
                <span>Custom</span>
              </label>
            </div>
            {form.preset === 'custom' && (
              <div class="inline">
                <label for="custom-hours">Hours (max {MAX_CUSTOM_HOURS})</label>
                <input
                  id="custom-hours"
                  type="number"
                  min={1}
                  max={MAX_CUSTOM_HOURS}
                  step={1}
                  value={form.customHours}
                  onInput={(e) => form.setCustomHours(e.currentTarget.value)}
                />
              </div>
            )}
          </fieldset>

          <button type="submit" class="primary" disabled={form.submitting}>
            {form.submitting ? 'Working…' : 'Get access'}
            {!form.submitting && form.hours !== null && (
              <span class="muted-on-primary"> for {formatDuration(form.hours * 3600_000)}</span>
            )}
          </button>
        </>
      )}

      <div aria-live="polite">
        {result && !result.ok && (
          <p class="notice error" role="alert">
            {result.message}
          </p>
        )}
        {result?.ok && result.outcome.kind === 'joined' && (
          <div class="notice success" data-testid="access-result">
            <p>
              <strong>Joined {result.outcome.projectName}</strong>
              {result.outcome.expires && <> until {formatTime(result.outcome.expires)}</>}.
            </p>
            <p>{result.outcome.why}</p>
            <button type="button" onClick={() => onOpenProject(joinedId)}>
              Open project
            </button>
          </div>
        )}
        {result?.ok && result.outcome.kind === 'requested' && (
          <div class="notice info" data-testid="access-result">
            <p>
              <strong>Request sent for {result.outcome.request.projectName}</strong>: pending approval.
            </p>
            <p>{result.outcome.why}</p>
            {/* The form stays hidden while the request waits: no second request by accident. */}
            <div class="row-actions">
              {pending && (
                <button type="button" disabled={cancelling} onClick={() => onCancel?.(pending)}>
                  {cancelling ? 'Cancelling…' : 'Cancel request'}
                </button>
              )}
              <button type="button" onClick={onShowMine}>
                See my access
              </button>
            </div>
          </div>
        )}
      </div>
    </form>
  );
}
