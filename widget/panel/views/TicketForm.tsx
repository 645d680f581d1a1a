import {
  TICKET_LIMITS,
  TICKET_SEVERITIES,
  TICKET_TYPES,
  type TicketSeverity,
  type TicketType,
} from '../../../api/types.ts';
import { format, formatBytes } from '../../common/format.ts';
import type { Strings } from '../../strings/types.ts';
import { describeError } from '../context.ts';
import { errorMessage, type WidgetError } from '../errors.ts';
import type { WidgetModel } from '../models/widget.ts';
import { Attachments } from './Attachments.tsx';
import { ContextBlock } from './ContextBlock.tsx';

const cap = (v: string) => `${v[0]?.toUpperCase()}${v.slice(1)}`;

function FieldError({ id, error, s }: { id: string; error: WidgetError | undefined; s: Strings }) {
  return error ? (
    <p id={id} class="field-error">
      {errorMessage(s, error)}
    </p>
  ) : null;
}

function Result({ model }: { model: WidgetModel }) {
  const { draft, strings: s } = model;
  const queued = draft.status === 'queued';
  return (
    <div role="status" class="result">
      <p class="result-title" tabIndex={-1} data-autofocus>
        {queued ? s.queuedTitle : format(s.sentTitle, { number: draft.ticket?.number ?? '' })}
      </p>
      {queued && draft.failure && <p>{errorMessage(s, draft.failure)}</p>}
      <p>{queued ? s.queuedBody : s.sentBody}</p>
      <button type="button" class="btn primary" onClick={() => model.show('menu')}>
        {s.done}
      </button>
    </div>
  );
}

/** Hours a decider may pick, 1 hour to 7 days (GRANT_LIMITS); 48 hours unless they pick another. */
const GRANT_HOURS = [1, 8, 24, 48, 72, 168];

/**
 * A decider lets support in with the ticket (issue 23). The role is the host's word; the server
 * decides, and refuses the ticket with it if the role was not true.
 */
function GrantChoice({ model }: { model: WidgetModel }) {
  const { draft, strings: s } = model;
  return (
    <div class="row">
      <label>
        <input
          type="checkbox"
          checked={draft.grant > 0}
          onChange={(e) => draft.setGrant(e.currentTarget.checked ? 172800 : 0)}
        />{' '}
        {s.grantAccess}
      </label>
      {draft.grant > 0 && (
        <select
          aria-label={s.grantFor}
          value={String(draft.grant)}
          onChange={(e) => draft.setGrant(+e.currentTarget.value)}
        >
          {GRANT_HOURS.map((h) => (
            <option key={h} value={h * 3600}>
              {h % 24 ? `${h} h` : `${h / 24} d`}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}

export function TicketForm({ model }: { model: WidgetModel }) {
  const { draft, strings: s } = model;
  if (draft.status === 'sent' || draft.status === 'queued') return <Result model={model} />;

  const ctx = model.context;
  const o = model.options;
  const sending = draft.status === 'sending';
  const fe = draft.fieldErrors;
  const rows: [string, string | undefined][] = [
    [s.contextPage, ctx.pageUrl],
    // Hosts may know only the id at init (the demo does).
    [
      s.contextProject,
      o.project && (o.project.name ? `${o.project.name} (${o.project.id})` : `#${o.project.id}`),
    ],
    [s.contextUser, o.user && [o.user.name, o.user.email].filter(Boolean).join(', ')],
    [s.contextBrowser, ctx.browser],
    [s.contextViewport, ctx.viewport],
    [s.contextLocale, ctx.locale],
    [s.contextAppVersion, ctx.appVersion],
    [s.contextError, ctx.error && describeError(ctx.error)],
    [s.contextFollows, draft.follows?.number],
  ];

  const onPaste = (e: ClipboardEvent) => {
    const images = Array.from(e.clipboardData?.files ?? []).filter((f) => f.type.startsWith('image/'));
    if (!images.length) return;
    e.preventDefault();
    void draft.addFiles(
      images.map(
        (f, i) =>
          new File([f], f.name && f.name !== 'image.png' ? f.name : `pasted-${Date.now()}-${i}.png`, {
            type: f.type,
          }),
      ),
    );
  };

  return (
    <form
      class="form"
      noValidate
      onPaste={onPaste}
      onKeyDown={(e) => {
        // Ctrl/Cmd+Enter sends from any field.
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          (e.currentTarget as HTMLFormElement).requestSubmit();
        }
      }}
      onSubmit={(e) => {
        e.preventDefault();
        void draft.submit().then(() => {
          const first = (e.currentTarget as HTMLFormElement | null)?.querySelector<HTMLElement>(
            '[aria-invalid="true"]',
          );
          first?.focus();
        });
      }}
    >
      {draft.failure && draft.status === 'failed' && (
        <p class="form-error" role="alert">
          {errorMessage(s, draft.failure)}
        </p>
      )}
      {draft.failure?.code === 'unsupported' && draft.status === 'failed' && model.fallback && (
        <model.fallback.EmailFallback
          to={o.supportEmail}
          subject={draft.subject}
          description={draft.description}
          context={rows.filter((r): r is [string, string] => Boolean(r[1]))}
          s={s}
        />
      )}
      <div class="row">
        <label class="field">
          <span>{s.type}</span>
          <select value={draft.type} onChange={(e) => draft.setType(e.currentTarget.value as TicketType)}>
            {TICKET_TYPES.map((t) => (
              <option key={t} value={t}>
                {s[`type${cap(t)}` as keyof Strings]}
              </option>
            ))}
          </select>
        </label>
        {draft.type === 'incident' && (
          <label class="field">
            <span>{s.severity}</span>
            <select
              value={draft.severity}
              onChange={(e) => draft.setSeverity(e.currentTarget.value as TicketSeverity)}
            >
              {TICKET_SEVERITIES.map((v) => (
                <option key={v} value={v}>
                  {s[`severity${cap(v)}` as keyof Strings]}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <label class="field">
        <span>{s.subject}</span>
        <input
          name="subject"
          value={draft.subject}
          maxLength={TICKET_LIMITS.subjectMax}
          aria-invalid={fe.subject ? 'true' : undefined}
          aria-describedby={fe.subject ? 'sk-subject-error' : undefined}
          onInput={(e) => draft.setSubject(e.currentTarget.value)}
        />
      </label>
      <FieldError id="sk-subject-error" error={fe.subject} s={s} />
      <label class="field">
        <span>{s.description}</span>
        <textarea
          name="description"
          rows={6}
          value={draft.description}
          maxLength={TICKET_LIMITS.descriptionMax}
          aria-invalid={fe.description ? 'true' : undefined}
          aria-describedby={fe.description ? 'sk-description-error' : undefined}
          onInput={(e) => draft.setDescription(e.currentTarget.value)}
        />
      </label>
      <FieldError id="sk-description-error" error={fe.description} s={s} />
      {o.project && /^(admin|share)$/.test(o.user?.role ?? '') && <GrantChoice model={model} />}

      <Attachments
        label={s.attachments}
        describedBy="sk-attach-hint"
        add={draft.addFiles}
        files={draft.attachments}
        errors={draft.attachmentErrors}
        errorText={(e) => errorMessage(s, e)}
        removeLabel={s.removeAttachment}
        onRemove={draft.removeAttachment}
        errorId="sk-attach-error"
      >
        <p id="sk-attach-hint" class="muted">
          {format(s.attachmentsHint, {
            count: TICKET_LIMITS.attachmentsMax,
            size: formatBytes(TICKET_LIMITS.attachmentBytesMax),
          })}
        </p>
      </Attachments>

      <ContextBlock id="sk-context-title" title={s.contextTitle} rows={rows} />

      <div class="actions">
        <span class="muted" aria-live="polite">
          {draft.saved && !sending ? s.draftSaved : ''}
        </span>
        <button
          type="submit"
          class="btn primary"
          aria-keyshortcuts="Control+Enter Meta+Enter"
          title={s.sendShortcut}
          aria-disabled={sending ? 'true' : undefined}
        >
          {sending ? s.sending : s.send}
        </button>
      </div>
    </form>
  );
}
