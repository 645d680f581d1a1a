// `npm run bench`: the backend, the extension and the widget, three runs of every figure, the targets
// of issue 12 judged, and bench/results.json written (and compared with the last one). Needs a build
// (`npm run build`) for the extension and widget parts.
import { benchBackend } from './backend.ts';
import { benchConversations } from './conversations.ts';
import { benchExtension } from './extension.ts';
import { benchPostgres } from './postgres.ts';
import { benchReplies } from './replies.ts';
import { finish } from './results.ts';
import { benchStreams } from './streams.ts';
import { benchWidget } from './widget.ts';

const started = performance.now();
await benchBackend();
await benchConversations();
await benchStreams();
await benchPostgres();
await benchExtension();
await benchReplies();
await benchWidget();
finish();
console.log(`bench took ${((performance.now() - started) / 60_000).toFixed(1)} min`);
