import { format } from '../../common/format.ts';
import type { WidgetModel } from '../models/widget.ts';

/**
 * The error alert: floating above the button, or at the top of the dialog while it is open. Its live
 * region is always in the DOM so that a new error is announced.
 */
export function Alert({ model, inline }: { model: WidgetModel; inline?: boolean }) {
  const s = model.strings;
  const error = model.alert;
  return (
    <div role="alert" class="alert-region">
      {error && (
        <div class={inline ? 'alert inline' : 'alert'}>
          <p class="alert-title">{s.alertTitle}</p>
          <p>{error.message}</p>
          {error.exceptionId && <p class="muted">{format(s.alertReference, { id: error.exceptionId })}</p>}
          <div class="row">
            <button type="button" class="btn primary" onClick={model.contactFromAlert}>
              {s.contactSupport}
            </button>
            <button type="button" class="btn" onClick={model.dismissAlert}>
              {s.dismiss}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
