import { REASON_MAX } from '../access.ts';
import { stackLabel } from '../settings.ts';
import type { AccessForm } from './access-form.ts';
import { DURATION_PRESETS, formatDuration, formatTime, MAX_CUSTOM_HOURS } from './format.ts';

interface Props {
  form: AccessForm;
  onOpenProject: (stack: string, projectId: number) => void;
  onShowMine: () => void;
  /** A pasted project URL of a stack that is not set up: open the options to add it. */
  onAddStack: (url: string) => void;
}

export function GetAccess({ form, onOpenProject, onShowMine, onAddStack }: Props) {
  const p = form.project;
  const result = form.result;
  const joined = result?.ok && result.outcome.kind === 'joined' ? result.outcome : null;
  const unknown = form.unknownStack;
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
          {unknown && (
            <button type="button" data-testid="add-stack" onClick={() => onAddStack(unknown)}>
              Add {stackLabel(unknown)} in the options
            </button>
          )}
          {p && (
            <span data-testid="project-info">
              <strong>{p.name}</strong> · {p.organizationName}
              {form.stacks.length > 1 && ` · on ${stackLabel(p.stack)}`}
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

      {form.picksStack && (
        <div class="field">
          <label for="stack">Stack</label>
          <select
            id="stack"
            name="stack"
            value={form.stack}
            aria-describedby="stack-help"
            onChange={(e) => form.setStack(e.currentTarget.value)}
          >
            {form.stacks.map((url) => (
              <option key={url} value={url}>
                {stackLabel(url)}
              </option>
            ))}
          </select>
          <div id="stack-help" class="help">
            A project id is per stack: pick the stack it is on (or paste the project's URL).
          </div>
        </div>
      )}

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
            <button type="button" onClick={() => joined && onOpenProject(joined.stack, joined.projectId)}>
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
