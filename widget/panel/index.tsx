// The panel chunk: Preact, the menu, the ticket form and the error alert. Loaded by the launcher on
// intent and mounted into its shadow root; it talks to the launcher only through the Bridge.
import { effect } from '@preact/signals-core';
import { render } from 'preact';
import type { Bridge, PanelHandle } from '../bridge.ts';
import { createWidget } from './models/widget.ts';
import { createIdbStorage, type WidgetStorage } from './storage.ts';
import { PANEL_CSS } from './styles.ts';
import { App } from './views/App.tsx';
import { focusFirst } from './views/Dialog.tsx';

export function mountPanel(
  bridge: Bridge,
  storage: WidgetStorage = createIdbStorage(),
): PanelHandle | Promise<PanelHandle> {
  bridge.addStyles(PANEL_CSS);
  const container = document.createElement('div');
  bridge.root.append(container);
  const model = createWidget(bridge, storage);
  // The whole (small) tree re-renders when any signal it read changes: the signals it reads are
  // tracked by this effect. This replaces @preact/signals' per-component integration (1.7 KB).
  let focused = '';
  const stop = effect(() => {
    render(<App model={model} />, container);
    const d = model.draft.status;
    const key = model.isOpen ? `${model.view}:${d === 'sent' || d === 'queued'}` : '';
    if (key && key !== focused) focusFirst(container);
    focused = key;
  });

  const handle: PanelHandle = {
    open: (prefill) => model.open(prefill),
    close: model.close,
    toggle: model.toggle,
    prefill: model.prefill,
    reportError: model.reportError,
    reportResponse: model.reportResponse,
    update: model.update,
    destroy() {
      stop();
      model.destroy();
      render(null, container);
      container.remove();
    },
  };
  // The launcher opens the dialog only with the handle: so never in English while Czech loads.
  return model.loadLocale()?.then(() => handle) ?? handle;
}
