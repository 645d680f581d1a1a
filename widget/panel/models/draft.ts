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
import { formatBytes } from '../../common/format.ts';
import { classify, isQueueable, type WidgetError } from '../errors.ts';
import type { DraftData, WidgetStorage } from '../storage.ts';

export type SubmitStatus = 'idle' | 'sending' | 'sent' | 'queued' | 'failed';

export interface DraftDeps {
  storage: WidgetStorage;
  send(body: CreateTicketBody, key: string): Promise<ApiResult<Ticket>>;
  /** Queues the ticket as the signed-in user's; false when who that is cannot be known. */
  enqueue(item: { key: string; body: CreateTicketBody; created: number }): Promise<boolean>;
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

export function createTicketDraft(deps: DraftDeps) {
  const subject = signal('');
  const description = signal('');
  const type = signal<TicketType>('question');
  const severity = signal<TicketSeverity>('normal');
  const attachments = signal<TicketAttachmentInput[]>([]);
  const error = signal<ErrorContext | undefined>(undefined);
  const follows = signal<DraftData['follows']>(undefined);
  const status = signal<SubmitStatus>('idle');
  const failure = signal<WidgetError | undefined>(undefined);
  const attachmentErrors = signal<WidgetError[]>([]);
  const fieldErrors = signal<Partial<Record<'subject' | 'description' | 'attachments', WidgetError>>>({});
  const ticket = signal<Ticket | undefined>(undefined);
  const saved = signal(false);
  /**
   * Seconds a decider lets support into the project for this ticket (issue 23's grant), 0 for none.
   * Never saved with the draft: consent is given each time, in the form that sends it.
   */
  const grant = signal(0);
  /** Where the draft is saved (backend, user and project); null: kept in memory only. */
  let project: string | null = null;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** The save that saveTimer will run, so a switch can run it at once instead of losing it. */
  let pendingSave: (() => Promise<void>) | undefined;

  const data = computed<DraftData>(() => ({
    subject: subject.value,
    description: description.value,
    type: type.value,
    severity: severity.value,
    attachments: attachments.value,
    ...(error.value ? { error: error.value } : {}),
    ...(follows.value ? { follows: follows.value } : {}),
  }));

  function persist(): void {
    saved.value = false;
    clearTimeout(saveTimer);
    pendingSave = undefined;
    const key = project;
    if (key === null) return;
    const snapshot = data.value;
    const save = async () => {
      pendingSave = undefined;
      await deps.storage.saveDraft(key, snapshot);
      if (key === project) saved.value = true;
    };
    pendingSave = save;
    saveTimer = setTimeout(save, deps.saveDelayMs ?? 300);
  }

  /** An edit after a result clears the result, keeps the text. */
  function edited(): void {
    if (status.value !== 'sending') status.value = 'idle';
    persist();
  }

  function fill(d: Partial<DraftData>): void {
    batch(() => {
      if (d.subject !== undefined) subject.value = d.subject.slice(0, TICKET_LIMITS.subjectMax);
      if (d.description !== undefined)
        description.value = d.description.slice(0, TICKET_LIMITS.descriptionMax);
      if (d.type) type.value = d.type;
      if (d.severity) severity.value = d.severity;
      if (d.attachments) attachments.value = d.attachments;
      if (d.error) error.value = d.error;
      if (d.follows) follows.value = d.follows;
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
      follows.value = undefined;
      grant.value = 0;
      fieldErrors.value = {};
      failure.value = undefined;
    });
  }

  /** Idempotency key of the ticket whose "queued" result is shown. */
  let queuedKey: string | undefined;
  const model = {
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
    /** The closed ticket this one follows up, if any. */
    get follows() {
      return follows.value;
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
      return ticket.value;
    },
    get saved() {
      return saved.value;
    },
    get grant() {
      return grant.value;
    },
    setGrant(seconds: number) {
      grant.value = seconds;
    },

    /**
     * Switches to the draft stored under `key` (null: nobody known, nothing stored or shown). The form
     * empties first, unless `keep` (the same person, just identified): then what they typed stays and
     * is saved under the new key. Edits not yet saved go to the old key first.
     */
    async load(key: string | null, keep = false): Promise<void> {
      clearTimeout(saveTimer);
      const unsaved = pendingSave;
      pendingSave = undefined;
      project = key;
      if (!keep) reset();
      saved.value = false;
      await unsaved?.();
      if (key === null) return;
      const stored = await deps.storage.loadDraft(key);
      if (project !== key) return;
      // Typing that began while IndexedDB was being read (or before the user was known) wins.
      if (subject.value || description.value) persist();
      else if (stored) fill(stored);
    },
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
      fill(d);
      status.value = 'idle';
      persist();
    },
    /** Adds files within TICKET_LIMITS; returns the error shown for any file refused. */
    /**
     * Adds what fits; every file left out is named with why (too big, one too many, unreadable):
     * nothing is dropped silently. Returns the first problem.
     */
    async addFiles(files: readonly File[]): Promise<WidgetError | undefined> {
      const problems: WidgetError[] = [];
      const next = [...attachments.value];
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
    /**
     * The outbox delivered `key`: if the "queued" result of that very ticket is on screen, it becomes
     * the "sent" one (no stale "You are offline" under it). True when it did.
     */
    delivered(key: string, sent: Ticket): boolean {
      if (status.value !== 'queued' || queuedKey !== key) return false;
      batch(() => {
        ticket.value = sent;
        failure.value = undefined;
        status.value = 'sent';
      });
      return true;
    },
    /** Back to an empty form after a result was seen. */
    acknowledge() {
      status.value = 'idle';
      ticket.value = undefined;
      failure.value = undefined;
    },

    async submit(): Promise<SubmitStatus> {
      if (status.value === 'sending') return status.value;
      const errs: typeof fieldErrors.value = {};
      if (!subject.value.trim()) errs.subject = { code: 'subjectRequired' };
      if (!description.value.trim()) errs.description = { code: 'descriptionRequired' };
      fieldErrors.value = errs;
      if (errs.subject || errs.description) return status.value;

      const projectId = deps.projectId();
      const context = deps.context();
      const body: CreateTicketBody = {
        subject: subject.value.trim(),
        description: description.value,
        type: type.value,
        ...(type.value === 'incident' ? { severity: severity.value } : {}),
        ...(projectId !== undefined ? { projectId } : {}),
        context,
        ...(attachments.value.length ? { attachments: attachments.value } : {}),
        ...(follows.value ? { followsTicketId: follows.value.id } : {}),
        ...(grant.value && projectId !== undefined
          ? { grantAccess: { expirationSeconds: grant.value } }
          : {}),
      };
      const key = newKey();
      const sentFrom = project;
      batch(() => {
        status.value = 'sending';
        failure.value = undefined;
      });

      const queue = async (why: WidgetError) => {
        // Nobody to queue it for (offline, and the token never verified here): the form keeps it.
        if (!(await deps.enqueue({ key, body, created: Date.now() }))) {
          batch(() => {
            failure.value = why;
            status.value = 'failed';
          });
          deps.onFailed(why);
          return;
        }
        clearTimeout(saveTimer);
        pendingSave = undefined;
        if (sentFrom !== null) await deps.storage.clearDraft(sentFrom);
        reset();
        queuedKey = key;
        batch(() => {
          failure.value = why;
          status.value = 'queued';
        });
        deps.onQueued(key, why);
      };

      if (!navigator.onLine) {
        await queue({ code: 'offline' });
        return status.value;
      }
      const result = await deps.send(body, key);
      if (result.data) {
        clearTimeout(saveTimer);
        pendingSave = undefined;
        if (sentFrom !== null) await deps.storage.clearDraft(sentFrom);
        reset();
        batch(() => {
          ticket.value = result.data;
          status.value = 'sent';
        });
        deps.onSent(result.data);
        return status.value;
      }
      const why = classify(result.error);
      if (isQueueable(why.code)) {
        await queue(why);
      } else {
        batch(() => {
          failure.value = why;
          status.value = 'failed';
        });
        deps.onFailed(why);
      }
      return status.value;
    },
  };
  return model;
}
