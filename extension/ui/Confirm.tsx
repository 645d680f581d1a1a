// A confirmation as a native modal <dialog>: the page behind is inert, Esc cancels, and focus goes
// back to what was focused before (the button that asked).
import { useEffect, useRef } from 'preact/hooks';

export interface ConfirmProps {
  title: string;
  body: string;
  confirm: string;
  /** A risky action gets the danger look on its button. */
  danger?: boolean;
  onClose: (confirmed: boolean) => void;
}

export function Confirm({ title, body, confirm, danger, onClose }: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = ref.current;
    const before = document.activeElement as HTMLElement | null;
    el?.showModal();
    return () => {
      if (el?.open) el.close();
      before?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class="confirm"
      role="alertdialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-body"
      onCancel={(e) => {
        e.preventDefault();
        onClose(false);
      }}
    >
      <h2 id="confirm-title">{title}</h2>
      <p id="confirm-body">{body}</p>
      <div class="confirm-actions">
        <button type="button" onClick={() => onClose(false)}>
          Keep
        </button>
        <button type="button" class={danger ? 'danger' : 'primary'} onClick={() => onClose(true)}>
          {confirm}
        </button>
      </div>
    </dialog>
  );
}
