// `npm run bench`: scripts that print figures (not timed assertions). Each part adds its own.
import { benchBackend } from './backend.ts';
import { benchExtension } from './extension.ts';
import { benchWidget } from './widget.ts';

await benchBackend();
await benchExtension();
await benchWidget();
