// The "Users & access" entry of the menu (`usersPanel: true`). Its code (../../users/, issue 5) is a
// chunk of its own that the model loads when a member opens this view.
import type { WidgetModel } from '../models/widget.ts';

export function Users({ model }: { model: WidgetModel }) {
  const mod = model.usersModule;
  const o = model.options;
  if (!mod || !o.project) return <p class="muted">{model.strings.usersLoading}</p>;
  return (
    <mod.UsersPanel
      options={{
        apiBaseUrl: o.apiBaseUrl,
        ...(o.token ? { token: o.token } : {}),
        ...(o.getToken ? { getToken: o.getToken } : {}),
        projectId: o.project.id,
        ...(o.supportEmailDomains ? { supportEmailDomains: o.supportEmailDomains } : {}),
        locale: model.locale,
        ...(o.nonce ? { nonce: o.nonce } : {}),
        fetch: model.fetch,
        onPendingCount: model.setBadge,
      }}
    />
  );
}
