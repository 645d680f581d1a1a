// Attach files: the picker, the refused files and the picked ones, as the ticket form and a thread's
// reply box show them.
import type { ComponentChildren } from 'preact';
import { TICKET_LIMITS, type TicketAttachmentInput } from '../../../api/types.ts';
import { format, formatBytes } from '../../common/format.ts';
import type { WidgetError } from '../errors.ts';
import { base64Size } from '../models/draft.ts';

export function Attachments(p: {
  /** The picker's name ("Attach files"). */
  label: string;
  /** The id of what describes the picker (the form's hint), if any. */
  describedBy?: string;
  add: (files: File[]) => Promise<unknown>;
  /** Shown under the picker (the form's hint). */
  children?: ComponentChildren;
  files: TicketAttachmentInput[];
  errors: WidgetError[];
  errorText: (e: WidgetError) => string;
  /** "Remove {name}". */
  removeLabel: string;
  onRemove: (index: number) => void;
  errorId?: string;
}) {
  return (
    <div class="attachments">
      <button
        type="button"
        class="btn"
        aria-describedby={p.describedBy}
        disabled={p.files.length >= TICKET_LIMITS.attachmentsMax}
        onClick={(e) => (e.currentTarget.nextElementSibling as HTMLInputElement | null)?.click()}
      >
        {p.label}
      </button>
      <input
        type="file"
        multiple
        hidden
        aria-label={p.label}
        onChange={(e) => {
          const input = e.currentTarget;
          void p.add(Array.from(input.files ?? [])).then(() => {
            input.value = '';
          });
        }}
      />
      {p.children}
      {p.errors.length > 0 && (
        <ul id={p.errorId} class="field-error" role="alert">
          {p.errors.map((e) => (
            <li key={`${e.code}-${e.vars?.name ?? e.vars?.names}`}>{p.errorText(e)}</li>
          ))}
        </ul>
      )}
      {p.files.length > 0 && (
        <ul class="files">
          {p.files.map((a, i) => (
            <li key={`${a.name}-${i}`}>
              <span class="file-name">{a.name}</span>
              <span class="muted">{formatBytes(base64Size(a.data))}</span>
              <button
                type="button"
                class="icon"
                aria-label={format(p.removeLabel, { name: a.name })}
                onClick={() => p.onRemove(i)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
