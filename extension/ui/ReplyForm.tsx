// The reply box of a thread: text and attachments (the ticket form's limits), kept as a draft per
// stack, user and ticket (db.ts) until it is sent, so closing the popup loses nothing.
import { useEffect, useRef, useState } from 'preact/hooks';
import { THREAD_LIMITS, TICKET_LIMITS, type TicketAttachmentInput } from '../../api/types.ts';
import { db } from '../db.ts';
import { reportError } from '../errors.ts';
import { callWorker } from '../messages.ts';

/** The draft is written this long after the last keystroke (and at once when the view goes). */
const SAVE_DELAY_MS = 300;

const newKey = (): string => crypto.randomUUID();

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

const kb = (bytes: number) => `${Math.ceil(bytes / 1024)} KB`;
const MAX_SIZE = `${TICKET_LIMITS.attachmentBytesMax / 1_048_576} MB`;

/** Adds what fits; every file left out is named with why (nothing is dropped silently). */
async function addFiles(
  have: TicketAttachmentInput[],
  files: readonly File[],
): Promise<{ next: TicketAttachmentInput[]; problems: string[] }> {
  const next = [...have];
  const problems: string[] = [];
  const extra: string[] = [];
  for (const file of files) {
    if (file.size > TICKET_LIMITS.attachmentBytesMax) {
      problems.push(`${file.name} is ${kb(file.size)}: a file may be at most ${MAX_SIZE}.`);
      continue;
    }
    if (next.length >= TICKET_LIMITS.attachmentsMax) {
      extra.push(file.name);
      continue;
    }
    try {
      next.push({
        name: file.name,
        type: file.type || 'application/octet-stream',
        data: await readBase64(file),
      });
    } catch {
      problems.push(`${file.name} could not be read.`);
    }
  }
  if (extra.length)
    problems.push(`At most ${TICKET_LIMITS.attachmentsMax} files per reply: ${extra.join(', ')} left out.`);
  return { next, problems };
}

/** The draft of this stack, user and ticket: read once, written shortly after each change. */
function useDraft(stack: string, userId: number, ticketId: number) {
  const [body, setBody] = useState('');
  const [attachments, setAttachments] = useState<TicketAttachmentInput[]>([]);
  const [loaded, setLoaded] = useState(false);
  const key = useRef(newKey());
  const pending = useRef<(() => void) | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const id: [string, number, number] = [stack, userId, ticketId];

  useEffect(() => {
    let gone = false;
    void db.drafts.get(id).then((d) => {
      if (gone) return;
      if (d) {
        setBody(d.body);
        setAttachments(d.attachments ?? []);
        key.current = d.key;
      }
      setLoaded(true);
    });
    return () => {
      gone = true;
      // The view goes (Back, another tab, the popup closing): what was typed is written now.
      clearTimeout(timer.current);
      pending.current?.();
    };
  }, [stack, userId, ticketId]);

  const write = (b: string, a: TicketAttachmentInput[]) => {
    const run = () => {
      pending.current = null;
      const save: Promise<unknown> =
        b || a.length
          ? db.drafts.put({
              stack,
              userId,
              ticketId,
              body: b,
              attachments: a,
              key: key.current,
              updatedAt: Date.now(),
            })
          : db.drafts.delete(id);
      save.catch((e: unknown) => reportError(e, 'draft'));
    };
    pending.current = run;
    clearTimeout(timer.current);
    timer.current = setTimeout(run, SAVE_DELAY_MS);
  };
  return {
    body,
    attachments,
    loaded,
    key,
    change(b: string, a: TicketAttachmentInput[]) {
      setBody(b);
      setAttachments(a);
      write(b, a);
    },
    /** Sent: the draft goes, and the next reply gets a key of its own. */
    async clear() {
      clearTimeout(timer.current);
      pending.current = null;
      key.current = newKey();
      setBody('');
      setAttachments([]);
      await db.drafts.delete(id);
    },
  };
}

export function ReplyForm({ stack, ticketId, userId }: { stack: string; ticketId: number; userId: number }) {
  const draft = useDraft(stack, userId, ticketId);
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [said, setSaid] = useState('');
  // A reply tried once keeps its key while unchanged (a lost answer is not a second message); once
  // its text changes it is another reply, with a key of its own.
  const tried = useRef(false);
  const edit = (b: string, a: TicketAttachmentInput[]) => {
    if (tried.current) {
      tried.current = false;
      draft.key.current = newKey();
    }
    draft.change(b, a);
  };
  const fieldId = `reply-${ticketId}`;
  const filesId = `reply-files-${ticketId}`;

  async function send(e: Event) {
    e.preventDefault();
    if (!draft.body.trim()) {
      setError('Write a reply first.');
      return;
    }
    setSending(true);
    setError(null);
    setSaid('');
    tried.current = true;
    const res = await callWorker('sendReply', {
      stack,
      ticketId,
      body: draft.body,
      attachments: draft.attachments,
      key: draft.key.current,
    });
    setSending(false);
    if (!res.ok) {
      setError(`${res.error.message} Your reply is kept here.`);
      return;
    }
    tried.current = false;
    setProblems([]);
    await draft.clear();
    setSaid('Reply sent.');
  }

  return (
    <form class="reply" onSubmit={(e) => void send(e)} aria-busy={sending}>
      <label for={fieldId}>Reply</label>
      <textarea
        id={fieldId}
        rows={4}
        maxLength={THREAD_LIMITS.bodyMax}
        value={draft.body}
        disabled={!draft.loaded}
        aria-invalid={error !== null && !draft.body.trim()}
        onInput={(e) => edit(e.currentTarget.value, draft.attachments)}
      />
      <div class="control-row">
        <label class="file-pick" for={filesId}>
          Attach files
        </label>
        <input
          id={filesId}
          type="file"
          multiple
          aria-describedby={`${filesId}-hint`}
          disabled={draft.attachments.length >= TICKET_LIMITS.attachmentsMax}
          onChange={(e) => {
            const input = e.currentTarget;
            const files = [...(input.files ?? [])];
            input.value = '';
            void addFiles(draft.attachments, files).then(({ next, problems }) => {
              setProblems(problems);
              edit(draft.body, next);
            });
          }}
        />
      </div>
      <p id={`${filesId}-hint`} class="help">
        Up to {TICKET_LIMITS.attachmentsMax} files of at most {MAX_SIZE} each.
      </p>
      {problems.length > 0 && (
        <ul class="error-text" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {draft.attachments.length > 0 && (
        <ul class="attachments" aria-label="Attached to this reply">
          {draft.attachments.map((a, i) => (
            <li key={`${a.name} ${i}`}>
              {a.name}{' '}
              <button
                type="button"
                class="link"
                aria-label={`Remove ${a.name}`}
                onClick={() =>
                  edit(
                    draft.body,
                    draft.attachments.filter((_, j) => j !== i),
                  )
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <div class="control-row">
        <button type="submit" class="primary" disabled={sending || !draft.loaded}>
          {sending ? 'Sending…' : 'Send reply'}
        </button>
      </div>
      <p class="sr-only" role="status">
        {said}
      </p>
    </form>
  );
}
