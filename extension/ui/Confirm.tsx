// A confirmation as a native modal <dialog>: the page behind is inert, Esc cancels, and focus goes
// back to the button that asked (passed in: a click does not focus a button in every browser), with
// a focus ring only when the dialog was closed from the keyboard (`:focus-visible`'s own rule).
import { useEffect, useRef } from 'preact/hooks';

export interface ConfirmProps {
  title: string;
  body: string;
  confirm: string;
  /** A risky action gets the danger look on its button. */
  danger?: boolean;
  onClose: (confirmed: boolean) => void;
  /** The control that asked; by default the element focused when the dialog opened. */
  opener?: HTMLElement | null;
}

export function Confirm({ title, body, confirm, danger, onClose, opener }: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  /** Closed by a key (Esc, Enter, Space) rather than a pointer. */
  const keyboard = useRef(false);
  useEffect(() => {
    const el = ref.current;
    const before = opener ?? (document.activeElement as HTMLElement | null);
    el?.showModal();
    return () => {
      if (el?.open) el.close();
      // A confirmed Leave removes its row: the button is gone and focus stays where closing left it.
      if (before?.isConnected) before.focus({ focusVisible: keyboard.current });
    };
  }, []);
  // `detail` is 0 for a click made with Enter or Space, the number of clicks for a pointer.
  const close = (yes: boolean) => (e: MouseEvent) => {
    keyboard.current = e.detail === 0;
    onClose(yes);
  };
  return (
    <dialog
      ref={ref}
      class="confirm"
      role="alertdialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-body"
      onCancel={(e) => {
        e.preventDefault();
        keyboard.current = true;
        onClose(false);
      }}
    >
      <h2 id="confirm-title">{title}</h2>
      <p id="confirm-body">{body}</p>
      <div class="confirm-actions">
        <button type="button" onClick={close(false)}>
          Keep
        </button>
        <button type="button" class={danger ? 'danger' : 'primary'} onClick={close(true)}>
          {confirm}
        </button>
      </div>
    </dialog>
  );
}
