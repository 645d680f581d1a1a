import type { WidgetModel } from '../models/widget.ts';
import { Alert } from './Alert.tsx';
import { Dialog } from './Dialog.tsx';

export function App({ model }: { model: WidgetModel }) {
  return <div class="root">{model.isOpen ? <Dialog model={model} /> : <Alert model={model} />}</div>;
}
