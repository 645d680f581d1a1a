// `npm run bench`: scripts that print figures (not timed assertions). Each part adds its own.
import { benchExtension } from './extension.ts';
import { benchWidget } from './widget.ts';

await benchExtension();
await benchWidget();
