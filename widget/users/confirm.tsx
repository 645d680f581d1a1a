// A modal confirmation step: focus moves in (to Cancel, the safe choice), Tab cycles inside, Esc
// cancels, and on close focus returns to where it was (or to `fallback` when that element is gone).
import { useId, useLayoutEffect, useRef } from 'preact/hooks';
import { trapTab } from '../shared/focus.ts';

export interface ConfirmProps {
  title: string;
  body: string;
  confirm: string;
  cancel: string;
  onClose(confirmed: boolean): void;
  /** Where focus goes when the element that opened the dialog is no longer in the page. */
  fallback?: () => HTMLElement | null | undefined;
}

export function Confirm({ title, body, confirm, cancel, onClose, fallback }: ConfirmProps) {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  // A layout effect: focus moves in the same frame the dialog appears, so a key pressed right after
  // opening already lands inside it.
  useLayoutEffect(() => {
    const el = ref.current;
    const root = el?.getRootNode() as Document | ShadowRoot | undefined;
    const before = root?.activeElement as HTMLElement | null | undefined;
    el?.querySelector<HTMLElement>('button')?.focus();
    return () => {
      // After the row it belonged to went away, the opener is detached: use the fallback.
      setTimeout(() => (before?.isConnected ? before : fallback?.())?.focus());
    };
  }, []);

  function onKeyDown(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose(false);
    } else if (ref.current) {
      trapTab(e, ref.current);
    }
  }

  return (
    <div class="back">
      <div
        ref={ref}
        class="dlg"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${id}t`}
        aria-describedby={`${id}b`}
        onKeyDown={onKeyDown}
      >
        <h2 id={`${id}t`}>{title}</h2>
        <p id={`${id}b`}>{body}</p>
        <div class="acts">
          <button type="button" class="btn" onClick={() => onClose(false)}>
            {cancel}
          </button>
          <button type="button" class="btn dgr" onClick={() => onClose(true)}>
            {confirm}
          </button>
        </div>
      </div>
    </div>
  );
}
