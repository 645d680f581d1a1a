// `npm run bench`: scripts that print figures (not timed assertions). Each part adds its own.
import { benchExtension } from './extension.ts';

await benchExtension();
