import { REASON_MAX } from '../access.ts';
import type { TrackedRequest } from '../db.ts';
import type { AccessForm } from './access-form.ts';
import { DURATION_PRESETS, formatDuration, formatTime, MAX_CUSTOM_HOURS } from './format.ts';

interface Props {
  form: AccessForm;
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
      {r.reason && (
        <p class="reason">
          <span class="muted">Reason:</span> {r.reason}
        </p>
      )}
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

export function GetAccess({
  form,
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
          placeholder="Project id or URL"
          value={form.projectInput}
          aria-describedby="project-help"
          aria-invalid={form.projectError ? true : undefined}
          onInput={(e) => form.setProjectInput(e.currentTarget.value)}
        />
        <div id="project-help" class="help" aria-live="polite">
          {form.looking && 'Looking up the project…'}
          {form.projectError && <span class="error-text">{form.projectError}</span>}
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
          {!p && !form.looking && !form.projectError && 'e.g. 100 or …/admin/projects/100'}
        </div>
      </div>

      {showPending && pending ? (
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
              onInput={(e) => form.setReason(e.currentTarget.value)}
            />
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
            <button type="button" onClick={onShowMine}>
              See my access
            </button>
          </div>
        )}
      </div>
    </form>
  );
}
