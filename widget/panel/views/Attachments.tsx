// The picked files and the refused ones, as the ticket form and a thread's reply box show them.
import type { TicketAttachmentInput } from '../../../api/types.ts';
import { format, formatBytes } from '../../common/format.ts';
import type { WidgetError } from '../errors.ts';
import { base64Size } from '../models/draft.ts';

export function Attachments(p: {
  files: TicketAttachmentInput[];
  errors: WidgetError[];
  errorText: (e: WidgetError) => string;
  /** "Remove {name}". */
  removeLabel: string;
  onRemove: (index: number) => void;
  errorId?: string;
}) {
  return (
    <>
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
    </>
  );
}
