import { ACCESS_LIMITS } from '../../api/types.ts';

const REASON_MAX = ACCESS_LIMITS.reasonMax;

import type { TrackedRequest } from '../db.ts';
import { stackLabel } from '../settings.ts';
import type { AccessForm } from './access-form.ts';
import { Clamp } from './Clamp.tsx';
import { DURATION_PRESETS, formatDuration, formatMs, localEnd, MAX_CUSTOM_HOURS } from './format.ts';
import { GrantOffers } from './GrantOffer.tsx';

/** A project the extension knows by name: looked up before, in a ticket, or one of my accesses. */
export interface KnownProject {
  stack: string;
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
  /** A stack's server time minus this machine's (ms): the join's "until" is said on this machine's clock. */
  offsetOf?: (stack: string) => number;
  cancelling?: boolean;
  onCancel?: (r: TrackedRequest) => void;
  onOpenProject: (stack: string, projectId: number) => void;
  onShowMine: () => void;
  /** A pasted project URL of a stack that is not set up: open the options to add it. */
  onAddStack: (url: string) => void;
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
      <PendingActions r={r} busy={busy} onCancel={onCancel} onShowMine={onShowMine} />
    </div>
  );
}

/** Cancel the pending request (when there is one), or go see it in My access. */
function PendingActions({
  r,
  busy,
  onCancel,
  onShowMine,
}: {
  r: TrackedRequest | undefined;
  busy: boolean;
  onCancel?: ((r: TrackedRequest) => void) | undefined;
  onShowMine: () => void;
}) {
  return (
    <div class="row-actions">
      {r && (
        <button type="button" disabled={busy} onClick={() => onCancel?.(r)}>
          {busy ? 'Cancelling…' : 'Cancel request'}
        </button>
      )}
      <button type="button" onClick={onShowMine}>
        See my access
      </button>
    </div>
  );
}

/** Known projects whose name (or id) contains what was typed; recent ones first when nothing is. */
export function matchProjects(known: KnownProject[], typed: string, limit = 6): KnownProject[] {
  const q = typed.trim().toLowerCase();
  // Project 100 of two stacks is two projects.
  const seen = new Set<string>();
  return known
    .filter((p) => {
      const key = `${p.stack} ${p.id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .filter((p) => !q || p.name.toLowerCase().includes(q) || String(p.id).startsWith(q))
    .slice(0, limit);
}

/** The project field: a name of a known project, an id or a project URL, with what was found. */
function ProjectField({
  form,
  known,
  onAddStack,
}: {
  form: AccessForm;
  known: KnownProject[];
  onAddStack: (url: string) => void;
}) {
  const p = form.project;
  const unknown = form.unknownStack;
  // Typing a name (not an id or URL) searches the projects the extension knows.
  const byName = form.projectId === null && !unknown;
  const matches = byName ? matchProjects(known, form.projectInput) : [];
  const typed = form.projectInput.trim();
  return (
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
        {!p &&
          !form.looking &&
          !form.projectError &&
          !matches.length &&
          'e.g. Acme, 100 or …/admin/projects/100'}
      </div>
      {matches.length > 0 && (
        <div data-testid="project-matches">
          <div class="help" id="matches-h">
            {typed ? 'Known projects matching your text:' : 'Recent projects and projects named in tickets:'}
          </div>
          <ul class="suggest" aria-labelledby="matches-h">
            {matches.map((m) => (
              <li key={`${m.stack} ${m.id}`}>
                <button
                  type="button"
                  onClick={() =>
                    form.fillProject(
                      { stack: m.stack, projectId: m.id },
                      m.source === 'ticket' ? 'ticket' : 'typed',
                    )
                  }
                >
                  <span>
                    {m.name} <span class="muted">#{m.id}</span>
                    {form.stacks.length > 1 && <span class="muted"> · {stackLabel(m.stack)}</span>}
                  </span>
                  <span class="muted">{m.source === 'ticket' ? 'from a ticket' : 'recent'}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** A bare id with several stacks set up: which stack it is on. */
function StackField({ form }: { form: AccessForm }) {
  if (!form.picksStack) return null;
  return (
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
  );
}

function ReasonField({ form }: { form: AccessForm }) {
  return (
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
  );
}

function DurationField({ form }: { form: AccessForm }) {
  return (
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
  );
}

/** What the last submit did: the error, the project joined, or the request sent. */
function Outcome({
  form,
  pending,
  cancelling,
  onCancel,
  onOpenProject,
  onShowMine,
  offsetOf,
}: Pick<Props, 'form' | 'pending' | 'onCancel' | 'onOpenProject' | 'onShowMine'> & {
  cancelling: boolean;
  offsetOf: (stack: string) => number;
}) {
  const result = form.result;
  const joined = result?.ok && result.outcome.kind === 'joined' ? result.outcome : null;
  // The end on this machine's clock, as its countdown in My access counts to (never past the grant).
  const joinedUntil = joined ? localEnd(joined, offsetOf(joined.stack)) : null;
  return (
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
            {joinedUntil !== null && (
              <>
                {' '}
                until{' '}
                <time data-testid="until" dateTime={new Date(joinedUntil).toISOString()}>
                  {formatMs(joinedUntil)}
                </time>
              </>
            )}
            .
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
          {/* The form stays hidden while the request waits: no second request by accident. */}
          <PendingActions r={pending} busy={cancelling} onCancel={onCancel} onShowMine={onShowMine} />
        </div>
      )}
    </div>
  );
}

export function GetAccess({
  form,
  known = [],
  pending,
  pendingLeft = '',
  offsetOf = () => 0,
  cancelling = false,
  onCancel,
  onOpenProject,
  onShowMine,
  onAddStack,
}: Props) {
  const result = form.result;
  const showPending = pending && !(result?.ok && result.outcome.kind === 'requested');
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
      <ProjectField form={form} known={known} onAddStack={onAddStack} />
      <StackField form={form} />
      {form.project && (
        <GrantOffers
          stack={form.project.stack}
          projectId={form.project.id}
          offsetMs={offsetOf(form.project.stack)}
          onOpenProject={onOpenProject}
        />
      )}
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
          <ReasonField form={form} />
          <DurationField form={form} />
          <button type="submit" class="primary" disabled={form.submitting}>
            {form.submitting ? 'Working…' : 'Get access'}
            {!form.submitting && form.hours !== null && (
              <span class="muted-on-primary"> for {formatDuration(form.hours * 3600_000)}</span>
            )}
          </button>
        </>
      )}
      <Outcome
        form={form}
        pending={pending}
        cancelling={cancelling}
        onCancel={onCancel}
        onOpenProject={onOpenProject}
        onShowMine={onShowMine}
        offsetOf={offsetOf}
      />
    </form>
  );
}
