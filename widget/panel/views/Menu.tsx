import { format } from '../../shared/format.ts';
import type { WidgetModel } from '../models/widget.ts';

export function Menu({ model }: { model: WidgetModel }) {
  const s = model.strings;
  const o = model.options;
  const links = [
    ...(o.docsUrl ? [{ label: s.menuDocs, href: o.docsUrl }] : []),
    ...(o.statusUrl ? [{ label: s.menuStatus, href: o.statusUrl }] : []),
    ...(o.links ?? []),
  ];
  return (
    <nav aria-label={s.menuLabel}>
      <ul class="menu">
        <li>
          <button type="button" class="item" onClick={() => model.show('form')}>
            <span class="item-title">{s.menuSupport}</span>
            <span class="muted">{s.menuSupportHint}</span>
          </button>
        </li>
        {o.usersPanel && (
          <li>
            <button type="button" class="item" onClick={() => model.show('users')}>
              <span class="item-title">{s.menuUsers}</span>
            </button>
          </li>
        )}
        {links.map((link) => (
          <li key={link.href}>
            <a class="item" href={link.href} target="_blank" rel="noopener noreferrer">
              <span class="item-title">{link.label}</span>
              <span class="vh"> {s.opensInNewTab}</span>
            </a>
          </li>
        ))}
      </ul>
      {model.outbox.count > 0 && <p class="note">{format(s.outboxWaiting, { count: model.outbox.count })}</p>}
    </nav>
  );
}
