import { format } from '../../common/format.ts';
import type { WidgetModel } from '../models/widget.ts';

/** Small line icons (16 px, currentColor): drawn, so no icon font or emoji font is needed. */
const ICONS = {
  support: 'M3 3h10a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H7l-3 3v-3H3a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1Z',
  users:
    'M6 8a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Zm-4 6c0-2.2 1.8-4 4-4s4 1.8 4 4M11 8a2 2 0 1 0 0-4m1.5 10c0-1.8-.9-3.2-2.2-3.8',
  link: 'M9 3h4v4m0-4L7 9m4 1v3H3V5h3',
  tickets: 'M3 4h10M3 8h10M3 12h6',
};

function Icon({ d }: { d: string }) {
  return (
    <svg class="ico" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        d={d}
        fill="none"
        stroke="currentColor"
        stroke-width="1.5"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}

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
            <span class="item-title">
              <Icon d={ICONS.support} />
              {s.menuSupport}
            </span>
            <span class="muted">{s.menuSupportHint}</span>
          </button>
        </li>
        {model.unread !== undefined && (
          <li>
            <button type="button" class="item" onClick={() => model.show('tickets')}>
              <span class="item-title">
                <Icon d={ICONS.tickets} />
                {s.menuTickets}
                {model.unread > 0 && (
                  <span class="count">
                    {model.unread}
                    <span class="vh"> {s.menuTicketsUnread}</span>
                  </span>
                )}
              </span>
            </button>
          </li>
        )}
        {o.usersPanel && (
          <li>
            <button type="button" class="item" onClick={() => model.show('users')}>
              <span class="item-title">
                <Icon d={ICONS.users} />
                {s.menuUsers}
              </span>
            </button>
          </li>
        )}
        {links.map((link) => (
          <li key={link.href}>
            <a class="item" href={link.href} target="_blank" rel="noopener noreferrer">
              <span class="item-title">
                {link.label}
                {/* The mark of a link that leaves the page; its words are for screen readers. */}
                <Icon d={ICONS.link} />
              </span>
              <span class="vh"> {s.opensInNewTab}</span>
            </a>
          </li>
        ))}
      </ul>
      {model.outbox.count > 0 && <p class="note">{format(s.outboxWaiting, { count: model.outbox.count })}</p>}
    </nav>
  );
}
