import { FOCUSABLE, trapTab } from '../../common/focus.ts';
import type { WidgetModel } from '../models/widget.ts';
import { Alert } from './Alert.tsx';
import { Menu } from './Menu.tsx';
import { TicketForm } from './TicketForm.tsx';
import { Users } from './Users.tsx';

/** Focus the first thing to read or use in the dialog: called after a view or a result changes. */
export function focusFirst(container: ParentNode): void {
  const body = container.querySelector('.body');
  const target =
    body?.querySelector<HTMLElement>('[data-autofocus]') ??
    body?.querySelector<HTMLElement>(FOCUSABLE) ??
    container.querySelector<HTMLElement>(`.dialog ${FOCUSABLE}`);
  target?.focus();
}

/** The support dialog: modal, focus kept inside (Tab wraps), Esc closes, focus returns to the button. */
export function Dialog({ model }: { model: WidgetModel }) {
  const s = model.strings;
  const view = model.view;

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      model.close();
      return;
    }
    trapTab(e, e.currentTarget as HTMLElement);
  };

  const title = {
    form: s.formTitle,
    users: s.menuUsers,
    tickets: model.tickets?.title() || s.menuTickets,
    menu: s.dialogTitle,
  }[view];
  return (
    <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="sk-title" onKeyDown={onKeyDown}>
      <div class="head">
        {view !== 'menu' && (
          <button type="button" class="icon" aria-label={s.back} onClick={model.back}>
            ‹
          </button>
        )}
        <h2 id="sk-title">{title}</h2>
        <button type="button" class="icon" aria-label={s.close} onClick={model.close}>
          ×
        </button>
      </div>
      <div class="body">
        <Alert model={model} inline />
        {model.notice && (
          <p class="note" role="status">
            {model.notice}
          </p>
        )}
        {view === 'menu' && <Menu model={model} />}
        {view === 'form' && <TicketForm model={model} />}
        {view === 'users' && <Users model={model} />}
        {view === 'tickets' && (model.tickets?.render() ?? <p class="muted">{s.usersLoading}</p>)}
      </div>
    </div>
  );
}
