// Model of the "Get access" form: signals inside, getters and actions outside. Views read it.
import { computed, type ReadonlySignal, type Signal, signal } from '@preact/signals';
import { ACCESS_LIMITS } from '../../api/types.ts';
import { validateAccessInput } from '../access.ts';
import type { CachedProject } from '../db.ts';
import { type AccessOutcome, callWorker } from '../messages.ts';
import { readProjectRef } from '../project-ref.ts';
import { stackLabel } from '../settings.ts';
import { DURATION_PRESETS, MAX_CUSTOM_HOURS, type PresetId } from './format.ts';

export type FormResult = { ok: true; outcome: AccessOutcome } | { ok: false; message: string } | null;

/** The project a submit would go to: its stack and id. */
export interface Target {
  stack: string;
  projectId: number;
}

const DEFAULT_PRESET: PresetId = '4h';
const DEFAULT_CUSTOM_HOURS = '72';

/** The project field: what was typed, the stack it is on, and the project looked up for it. */
function createProjectPick() {
  /** URLs of the stacks with a verified token, in the options' order. */
  const stacks = signal<readonly string[]>([]);
  /** Preselected for a bare id: the last used stack. */
  const defaultStack = signal('');
  /** The user's pick for a bare id (empty: the default). */
  const chosenStack = signal('');
  const projectInput = signal('');
  const source = signal<'typed' | 'tab' | 'ticket'>('typed');
  const project = signal<CachedProject | null>(null);
  const projectError = signal<string | null>(null);
  const looking = signal(false);
  const ref = computed(() => readProjectRef(projectInput.value, stacks.value));
  const stack = computed(() => {
    const r = ref.value;
    if (r.kind === 'url') return r.stack;
    const picked = chosenStack.value;
    return picked && stacks.value.includes(picked) ? picked : defaultStack.value || (stacks.value[0] ?? '');
  });
  const target = computed<Target | null>(() => {
    const r = ref.value;
    if (r.kind === 'url') return { stack: r.stack, projectId: r.projectId };
    if (r.kind === 'id' && stack.value) return { stack: stack.value, projectId: r.projectId };
    return null;
  });
  /** A bare id with several stacks set up: the user says which stack (the last used preselected). */
  const picksStack = computed(() => ref.value.kind === 'id' && stacks.value.length > 1);
  /** The origin of a pasted project URL of a stack that is not set up, to offer adding it. */
  const unknownStack = computed(() => {
    const r = ref.value;
    return r.kind === 'otherStack' ? r.origin : null;
  });

  let lookupSeq = 0;
  async function lookup(): Promise<void> {
    const t = target.value;
    const seq = ++lookupSeq;
    projectError.value = null;
    if (t === null) {
      project.value = null;
      looking.value = false;
      const other = unknownStack.value;
      if (other)
        projectError.value = `That project is on ${other}, which is not set up in the extension. Add that stack (its URL and your token for it) to work there.`;
      else if (projectInput.value.trim())
        projectError.value =
          'Pick a project by name from the list, or enter its id or a project URL of a configured stack (…/admin/projects/<id>).';
      return;
    }
    if (project.value?.id === t.projectId && project.value.stack === t.stack) return;
    project.value = null;
    looking.value = true;
    const res = await callWorker('lookupProject', { stack: t.stack, projectId: t.projectId });
    if (seq !== lookupSeq) return;
    looking.value = false;
    if (res.ok) project.value = res.value;
    else projectError.value = res.error.message;
  }

  return {
    stacks,
    defaultStack,
    chosenStack,
    projectInput,
    source,
    project,
    projectError,
    looking,
    stack,
    target,
    picksStack,
    unknownStack,
    lookup,
  };
}

/** Checking the form, then asking the worker for access. */
function createSubmit(
  { target, unknownStack }: ReturnType<typeof createProjectPick>,
  reason: Signal<string>,
  hours: ReadonlySignal<number | null>,
  ticketId: Signal<number | null>,
) {
  const submitting = signal(false);
  const result = signal<FormResult>(null);
  const form = {
    validate(): string | null {
      if (unknownStack.value)
        return `${stackLabel(unknownStack.value)} is not set up in the extension: add it in the options first.`;
      const t = target.value;
      if (t === null) return 'Pick a project: its id or a project URL.';
      if (hours.value === null)
        return `Enter a custom duration between 1 and ${MAX_CUSTOM_HOURS} hours (7 days).`;
      // The rest are the worker's own rules (the server enforces them too).
      return validateAccessInput({
        stack: t.stack,
        projectId: t.projectId,
        reason: reason.value,
        expirationSeconds: Math.round(hours.value * 3600),
      });
    },
    async submit(): Promise<void> {
      const invalid = form.validate();
      if (invalid) {
        result.value = { ok: false, message: invalid };
        return;
      }
      const t = target.value;
      const h = hours.value;
      if (t === null || h === null) return;
      submitting.value = true;
      result.value = null;
      const res = await callWorker('getAccess', {
        stack: t.stack,
        projectId: t.projectId,
        reason: reason.value,
        expirationSeconds: Math.round(h * 3600),
        ...(ticketId.value === null ? {} : { ticketId: ticketId.value }),
      });
      submitting.value = false;
      result.value = res.ok ? { ok: true, outcome: res.value } : { ok: false, message: res.error.message };
      if (res.ok) {
        reason.value = '';
        ticketId.value = null;
      }
    },
  };
  return { submitting, result, ...form };
}

export function createAccessForm() {
  const pick = createProjectPick();
  const { stacks, chosenStack, projectInput, source, project, projectError, looking } = pick;
  const { stack, target, picksStack, unknownStack, lookup } = pick;
  const reason = signal('');
  const preset = signal<PresetId>(DEFAULT_PRESET);
  const customHours = signal(DEFAULT_CUSTOM_HOURS);
  const hours = computed<number | null>(() => {
    if (preset.value !== 'custom') return DURATION_PRESETS.find((p) => p.id === preset.value)?.hours ?? null;
    const n = Number(customHours.value);
    return Number.isFinite(n) && n > 0 && n <= MAX_CUSTOM_HOURS ? n : null;
  });
  /** The ticket the form was filled from, while its project stays picked: the request names it. */
  const ticketId = signal<number | null>(null);
  const sending = createSubmit(pick, reason, hours, ticketId);
  const { submitting, result } = sending;

  return {
    get projectInput() {
      return projectInput.value;
    },
    get source() {
      return source.value;
    },
    get reason() {
      return reason.value;
    },
    get preset() {
      return preset.value;
    },
    get customHours() {
      return customHours.value;
    },
    get projectId() {
      return target.value?.projectId ?? null;
    },
    get target() {
      return target.value;
    },
    get stack() {
      return stack.value;
    },
    get stacks() {
      return stacks.value;
    },
    get picksStack() {
      return picksStack.value;
    },
    get unknownStack() {
      return unknownStack.value;
    },
    /** The configured stacks changed (options saved in another window). */
    setStacks(urls: readonly string[], preferred: string) {
      const same = urls.length === stacks.value.length && urls.every((u, i) => u === stacks.value[i]);
      pick.defaultStack.value = preferred;
      if (same) return;
      stacks.value = urls;
      if (projectInput.value.trim()) void lookup();
    },
    /** For a bare id: which stack it is on. */
    setStack(url: string) {
      // The ticket is one stack's: its project on another stack is not the ticket's.
      if (url !== chosenStack.value) ticketId.value = null;
      chosenStack.value = url;
      result.value = null;
      void lookup();
    },
    get project() {
      return project.value;
    },
    get projectError() {
      return projectError.value;
    },
    get looking() {
      return looking.value;
    },
    get submitting() {
      return submitting.value;
    },
    get result() {
      return result.value;
    },
    /** Nothing typed, picked or sent yet: the form as every popup opens with it. */
    get pristine() {
      return (
        projectInput.value === '' &&
        chosenStack.value === '' &&
        reason.value === '' &&
        preset.value === DEFAULT_PRESET &&
        customHours.value === DEFAULT_CUSTOM_HOURS &&
        !submitting.value &&
        result.value === null
      );
    },
    get hours() {
      return hours.value;
    },
    setProjectInput(value: string, from: 'typed' | 'tab' | 'ticket' = 'typed') {
      // Another project (or the same id typed again) is no longer the ticket's.
      if (from !== 'ticket') ticketId.value = null;
      projectInput.value = value;
      source.value = from;
      result.value = null;
      void lookup();
    },
    setReason(value: string) {
      reason.value = value.slice(0, ACCESS_LIMITS.reasonMax);
    },
    setPreset(value: PresetId) {
      preset.value = value;
    },
    setCustomHours(value: string) {
      customHours.value = value;
    },
    /** A project of a known stack: picked from the list, the current tab or a ticket. */
    fillProject(t: Target, from: 'typed' | 'tab' | 'ticket') {
      chosenStack.value = t.stack;
      this.setProjectInput(String(t.projectId), from);
    },
    /** From a past outcome in My access: its project, stack and reason, to ask again. */
    fillAgain(t: Target, previousReason: string | null) {
      reason.value = (previousReason ?? '').slice(0, ACCESS_LIMITS.reasonMax);
      this.fillProject(t, 'typed');
    },
    /** The ticket the request will name, if the form was filled from one. */
    get ticketId() {
      return ticketId.value;
    },
    /** From the Tickets tab: fill project and reason; the request names the ticket (`ticketId`). */
    fillFromTicket(t: Target & { id: number; number: string; subject: string }) {
      reason.value = `Ticket ${t.number}: ${t.subject}`.slice(0, ACCESS_LIMITS.reasonMax);
      this.fillProject({ stack: t.stack, projectId: t.projectId }, 'ticket');
      ticketId.value = t.id;
    },
    validate: sending.validate,
    submit: sending.submit,
  };
}

export type AccessForm = ReturnType<typeof createAccessForm>;
