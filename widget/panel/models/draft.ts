// The ticket being written: fields as signals, saved in IndexedDB per backend, user and project as
// the user types (not at all while who is signed in is unknown), and submit(): 2xx → sent;
// offline/timeout/5xx → outbox; anything else → the form keeps its text.
import { batch, computed, signal } from '@preact/signals-core';
import type { ApiResult } from '../../../api/client.ts';
import {
  type CreateTicketBody,
  type ErrorContext,
  TICKET_LIMITS,
  type Ticket,
  type TicketAttachmentInput,
  type TicketContext,
  type TicketSeverity,
  type TicketType,
} from '../../../api/types.ts';
import { formatBytes } from '../../shared/format.ts';
import { classify, isQueueable, type WidgetError } from '../errors.ts';
import type { DraftData, OutboxItem, WidgetStorage } from '../storage.ts';

export type SubmitStatus = 'idle' | 'sending' | 'sent' | 'queued' | 'failed';

export interface DraftDeps {
  storage: WidgetStorage;
  send(body: CreateTicketBody, key: string): Promise<ApiResult<Ticket>>;
  /** Queues the ticket as the signed-in user's; false when who that is cannot be known. */
  enqueue(item: Pick<OutboxItem, 'key' | 'body' | 'created'>): Promise<boolean>;
  /** The context shown in the form and sent with the ticket. */
  context(): TicketContext;
  projectId(): number | undefined;
  onSent(ticket: Ticket): void;
  onQueued(key: string, error: WidgetError): void;
  onFailed(error: WidgetError): void;
  /** Debounce of saving while typing, ms. */
  saveDelayMs?: number;
}

function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}

function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** Bytes of a base64 string without its padding. */
export function base64Size(data: string): number {
  return Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);
}

/**
 * Reads what fits of `files` after `current`; every file left out is named with why (too big, one too
 * many, unreadable): nothing is dropped silently.
 */
async function readFiles(
  files: readonly File[],
  current: TicketAttachmentInput[],
): Promise<{ next: TicketAttachmentInput[]; problems: WidgetError[] }> {
  const problems: WidgetError[] = [];
  const next = [...current];
  const size = formatBytes(TICKET_LIMITS.attachmentBytesMax);
  const extra: string[] = [];
  for (const file of files) {
    if (file.size > TICKET_LIMITS.attachmentBytesMax) {
      problems.push({
        code: 'fileTooBig',
        vars: { name: file.name, size, fileSize: formatBytes(file.size) },
      });
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
      problems.push({ code: 'fileRead', vars: { name: file.name } });
    }
  }
  if (extra.length)
    problems.push({
      code: 'tooManyFiles',
      vars: { count: TICKET_LIMITS.attachmentsMax, names: extra.join(', ') },
    });
  return { next, problems };
}

/** The draft's fields and its result, as signals; `fill` sets the given fields, `reset` empties them. */
function createFields() {
  const subject = signal('');
  const description = signal('');
  const type = signal<TicketType>('question');
  const severity = signal<TicketSeverity>('normal');
  const attachments = signal<TicketAttachmentInput[]>([]);
  const error = signal<ErrorContext | undefined>(undefined);
  const status = signal<SubmitStatus>('idle');
  const failure = signal<WidgetError | undefined>(undefined);
  const fieldErrors = signal<Partial<Record<'subject' | 'description' | 'attachments', WidgetError>>>({});

  const data = computed<DraftData>(() => ({
    subject: subject.value,
    description: description.value,
    type: type.value,
    severity: severity.value,
    attachments: attachments.value,
    ...(error.value ? { error: error.value } : {}),
  }));

  function fill(d: Partial<DraftData>): void {
    batch(() => {
      if (d.subject !== undefined) subject.value = d.subject.slice(0, TICKET_LIMITS.subjectMax);
      if (d.description !== undefined)
        description.value = d.description.slice(0, TICKET_LIMITS.descriptionMax);
      if (d.type) type.value = d.type;
      if (d.severity) severity.value = d.severity;
      if (d.attachments) attachments.value = d.attachments;
      if (d.error) error.value = d.error;
    });
  }

  function reset(): void {
    batch(() => {
      subject.value = '';
      description.value = '';
      type.value = 'question';
      severity.value = 'normal';
      attachments.value = [];
      error.value = undefined;
      fieldErrors.value = {};
      failure.value = undefined;
    });
  }
  return {
    subject,
    description,
    type,
    severity,
    attachments,
    error,
    status,
    failure,
    fieldErrors,
    data,
    fill,
    reset,
  };
}
type Fields = ReturnType<typeof createFields>;

/** Saving as the user types, under the key of who is signed in; nothing while that is unknown. */
function createSaving(deps: DraftDeps, f: Fields) {
  const saved = signal(false);
  /** Where the draft is saved (backend, user and project); null: kept in memory only. */
  let project: string | null = null;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** The save that saveTimer will run, so a switch can run it at once instead of losing it. */
  let pendingSave: (() => Promise<void>) | undefined;

  function persist(): void {
    saved.value = false;
    clearTimeout(saveTimer);
    pendingSave = undefined;
    const key = project;
    if (key === null) return;
    const snapshot = f.data.value;
    const save = async () => {
      pendingSave = undefined;
      await deps.storage.saveDraft(key, snapshot);
      if (key === project) saved.value = true;
    };
    pendingSave = save;
    saveTimer = setTimeout(save, deps.saveDelayMs ?? 300);
  }

  /**
   * Switches to the draft stored under `key` (null: nobody known, nothing stored or shown). The form
   * empties first, unless `keep` (the same person, just identified): then what they typed stays and
   * is saved under the new key. Edits not yet saved go to the old key first.
   */
  async function load(key: string | null, keep = false): Promise<void> {
    clearTimeout(saveTimer);
    const unsaved = pendingSave;
    pendingSave = undefined;
    project = key;
    if (!keep) f.reset();
    saved.value = false;
    await unsaved?.();
    if (key === null) return;
    const stored = await deps.storage.loadDraft(key);
    if (project !== key) return;
    // Typing that began while IndexedDB was being read (or before the user was known) wins.
    if (f.subject.value || f.description.value) persist();
    else if (stored) f.fill(stored);
  }

  /** The ticket left: its draft (saved under `from`, where it was written) goes, the form empties. */
  async function sent(from: string | null): Promise<void> {
    clearTimeout(saveTimer);
    pendingSave = undefined;
    if (from !== null) await deps.storage.clearDraft(from);
    f.reset();
  }
  return { saved, persist, load, sent, project: () => project };
}
type Saving = ReturnType<typeof createSaving>;

/** Sending: 2xx → sent; offline/timeout/5xx → the outbox; anything else → the form keeps its text. */
function createSubmit(deps: DraftDeps, f: Fields, saving: Saving) {
  const ticket = signal<Ticket | undefined>(undefined);
  /** Idempotency key of the ticket whose "queued" result is shown. */
  let queuedKey: string | undefined;

  const failed = (why: WidgetError) => {
    batch(() => {
      f.failure.value = why;
      f.status.value = 'failed';
    });
    deps.onFailed(why);
  };

  /** The ticket, or undefined (with the fields' errors shown) when a required field is empty. */
  function body(): CreateTicketBody | undefined {
    const errs: typeof f.fieldErrors.value = {};
    if (!f.subject.value.trim()) errs.subject = { code: 'subjectRequired' };
    if (!f.description.value.trim()) errs.description = { code: 'descriptionRequired' };
    f.fieldErrors.value = errs;
    if (errs.subject || errs.description) return undefined;
    const projectId = deps.projectId();
    return {
      subject: f.subject.value.trim(),
      description: f.description.value,
      type: f.type.value,
      ...(f.type.value === 'incident' ? { severity: f.severity.value } : {}),
      ...(projectId !== undefined ? { projectId } : {}),
      context: deps.context(),
      ...(f.attachments.value.length ? { attachments: f.attachments.value } : {}),
    };
  }

  async function submit(): Promise<SubmitStatus> {
    if (f.status.value === 'sending') return f.status.value;
    const ticketBody = body();
    if (!ticketBody) return f.status.value;
    const key = newKey();
    const sentFrom = saving.project();
    batch(() => {
      f.status.value = 'sending';
      f.failure.value = undefined;
    });

    const queue = async (why: WidgetError) => {
      // Nobody to queue it for (offline, and the token never verified here): the form keeps it.
      if (!(await deps.enqueue({ key, body: ticketBody, created: Date.now() }))) return failed(why);
      await saving.sent(sentFrom);
      queuedKey = key;
      batch(() => {
        f.failure.value = why;
        f.status.value = 'queued';
      });
      deps.onQueued(key, why);
    };

    if (!navigator.onLine) {
      await queue({ code: 'offline' });
      return f.status.value;
    }
    const result = await deps.send(ticketBody, key);
    if (result.data) {
      await saving.sent(sentFrom);
      batch(() => {
        ticket.value = result.data;
        f.status.value = 'sent';
      });
      deps.onSent(result.data);
      return f.status.value;
    }
    const why = classify(result.error);
    if (isQueueable(why.code)) await queue(why);
    else failed(why);
    return f.status.value;
  }

  /**
   * The outbox delivered `key`: if the "queued" result of that very ticket is on screen, it becomes
   * the "sent" one (no stale "You are offline" under it). True when it did.
   */
  function delivered(key: string, sent: Ticket): boolean {
    if (f.status.value !== 'queued' || queuedKey !== key) return false;
    batch(() => {
      ticket.value = sent;
      f.failure.value = undefined;
      f.status.value = 'sent';
    });
    return true;
  }
  return { ticket, submit, delivered };
}

export function createTicketDraft(deps: DraftDeps) {
  const f = createFields();
  const { subject, description, type, severity, attachments, error, status, failure, fieldErrors } = f;
  const saving = createSaving(deps, f);
  const { persist } = saving;
  const sending = createSubmit(deps, f, saving);
  const attachmentErrors = signal<WidgetError[]>([]);

  /** An edit after a result clears the result, keeps the text. */
  function edited(): void {
    if (status.value !== 'sending') status.value = 'idle';
    persist();
  }

  return {
    get subject() {
      return subject.value;
    },
    get description() {
      return description.value;
    },
    get type() {
      return type.value;
    },
    get severity() {
      return severity.value;
    },
    get attachments() {
      return attachments.value;
    },
    /** The error this ticket is about (prefilled from an alert), if any. */
    get error() {
      return error.value;
    },
    get status() {
      return status.value;
    },
    get failure() {
      return failure.value;
    },
    /** Every file the last pick left out, each with its reason. */
    get attachmentErrors() {
      return attachmentErrors.value;
    },
    get fieldErrors() {
      return fieldErrors.value;
    },
    get ticket() {
      return sending.ticket.value;
    },
    get saved() {
      return saving.saved.value;
    },
    load: saving.load,
    setSubject(v: string) {
      subject.value = v.slice(0, TICKET_LIMITS.subjectMax);
      if (v.trim()) fieldErrors.value = { ...fieldErrors.value, subject: undefined };
      edited();
    },
    setDescription(v: string) {
      description.value = v.slice(0, TICKET_LIMITS.descriptionMax);
      if (v.trim()) fieldErrors.value = { ...fieldErrors.value, description: undefined };
      edited();
    },
    setType(v: TicketType) {
      type.value = v;
      edited();
    },
    setSeverity(v: TicketSeverity) {
      severity.value = v;
      edited();
    },
    /** Prefill from the host (API or an error alert): only the given fields change. */
    prefill(d: Partial<DraftData>) {
      f.fill(d);
      status.value = 'idle';
      persist();
    },
    /**
     * Adds what fits within TICKET_LIMITS; every file left out is named with why. Returns the first
     * problem.
     */
    async addFiles(files: readonly File[]): Promise<WidgetError | undefined> {
      const { next, problems } = await readFiles(files, attachments.value);
      attachments.value = next;
      attachmentErrors.value = problems;
      fieldErrors.value = { ...fieldErrors.value, attachments: problems[0] };
      edited();
      return problems[0];
    },
    removeAttachment(index: number) {
      attachments.value = attachments.value.filter((_, i) => i !== index);
      attachmentErrors.value = [];
      fieldErrors.value = { ...fieldErrors.value, attachments: undefined };
      edited();
    },
    clearError() {
      error.value = undefined;
      edited();
    },
    delivered: sending.delivered,
    /** Back to an empty form after a result was seen. */
    acknowledge() {
      status.value = 'idle';
      sending.ticket.value = undefined;
      failure.value = undefined;
    },
    submit: sending.submit,
  };
}

export type TicketDraft = ReturnType<typeof createTicketDraft>;
