// A modal confirmation step: focus moves in (to Cancel, the safe choice), Tab cycles inside, Esc
// cancels, and on close focus returns to the control that opened it (or to `fallback` when that
// element is gone). The opener is passed in, not read from the focused element: a click does not
// focus a button in every browser (Safari), and the focused element may then be another row's Remove.
import { useId, useLayoutEffect, useRef } from 'preact/hooks';
import { trapTab } from '../common/focus.ts';

export interface ConfirmProps {
  title: string;
  body: string;
  confirm: string;
  cancel: string;
  onClose(confirmed: boolean): void;
  /** The control that asked; by default the element focused when the dialog opened. */
  opener?: HTMLElement | null | undefined;
  /** Where focus goes when the element that opened the dialog is no longer in the page. */
  fallback?: () => HTMLElement | null | undefined;
}

/**
 * Moves focus back without a focus ring after a pointer, with one after a key (`:focus-visible`'s
 * own rule; browsers without `focusVisible` apply their heuristics to the plain call).
 */
const restore = (el: HTMLElement | null | undefined, keyboard: boolean) =>
  el?.focus({ focusVisible: keyboard });

export function Confirm({ title, body, confirm, cancel, onClose, opener, fallback }: ConfirmProps) {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  /** How the dialog was closed: by a key (Esc, Enter, Space) or by a pointer. */
  const keyboard = useRef(false);
  // A layout effect: focus moves in the same frame the dialog appears, so a key pressed right after
  // opening already lands inside it.
  useLayoutEffect(() => {
    const el = ref.current;
    const root = el?.getRootNode() as Document | ShadowRoot | undefined;
    const before = opener ?? (root?.activeElement as HTMLElement | null | undefined);
    el?.querySelector<HTMLElement>('button')?.focus();
    return () => {
      // After the row it belonged to went away, the opener is detached: use the fallback.
      setTimeout(() => restore(before?.isConnected ? before : fallback?.(), keyboard.current));
    };
  }, []);

  function onKeyDown(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.stopPropagation();
      keyboard.current = true;
      onClose(false);
    } else if (ref.current) {
      trapTab(e, ref.current);
    }
  }

  // `detail` is 0 for a click made with Enter or Space, the number of clicks for a pointer.
  const close = (yes: boolean) => (e: MouseEvent) => {
    keyboard.current = e.detail === 0;
    onClose(yes);
  };

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
          <button type="button" class="btn" onClick={close(false)}>
            {cancel}
          </button>
          <button type="button" class="btn dgr" onClick={close(true)}>
            {confirm}
          </button>
        </div>
      </div>
    </div>
  );
}
