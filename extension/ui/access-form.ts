// Model of the "Get access" form: signals inside, getters and actions outside. Views read it.
import { computed, signal } from '@preact/signals';
import { REASON_MAX, validateAccessInput } from '../access.ts';
import type { CachedProject } from '../db.ts';
import { type AccessOutcome, callWorker } from '../messages.ts';
import { otherStackOf, parseProjectRef } from '../project-ref.ts';
import { DURATION_PRESETS, MAX_CUSTOM_HOURS, type PresetId } from './format.ts';

export type FormResult = { ok: true; outcome: AccessOutcome } | { ok: false; message: string } | null;

export function createAccessForm(getBackendUrl: () => string) {
  const projectInput = signal('');
  const source = signal<'typed' | 'tab' | 'ticket'>('typed');
  const reason = signal('');
  const preset = signal<PresetId>('4h');
  const customHours = signal('72');
  const project = signal<CachedProject | null>(null);
  const projectError = signal<string | null>(null);
  const looking = signal(false);
  const submitting = signal(false);
  const result = signal<FormResult>(null);
  const projectId = computed(() => parseProjectRef(projectInput.value, getBackendUrl() || undefined));

  const hours = computed<number | null>(() => {
    if (preset.value !== 'custom') return DURATION_PRESETS.find((p) => p.id === preset.value)?.hours ?? null;
    const n = Number(customHours.value);
    return Number.isFinite(n) && n > 0 && n <= MAX_CUSTOM_HOURS ? n : null;
  });

  let lookupSeq = 0;
  async function lookup(): Promise<void> {
    const id = projectId.value;
    const seq = ++lookupSeq;
    projectError.value = null;
    if (id === null) {
      project.value = null;
      const other = otherStackOf(projectInput.value, getBackendUrl());
      if (other)
        projectError.value = `That project is on ${other}, but the extension is set up for ${getBackendUrl()}. To work there, save that stack's URL and your token for it in the options.`;
      else if (projectInput.value.trim())
        projectError.value =
          'Pick a project by name from the list, or enter its id or a project URL of the configured stack (…/admin/projects/<id>).';
      return;
    }
    if (project.value?.id === id) return;
    project.value = null;
    looking.value = true;
    const res = await callWorker('lookupProject', { projectId: id });
    if (seq !== lookupSeq) return;
    looking.value = false;
    if (res.ok) project.value = res.value;
    else projectError.value = res.error.message;
  }

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
      return projectId.value;
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
    get hours() {
      return hours.value;
    },
    setProjectInput(value: string, from: 'typed' | 'tab' | 'ticket' = 'typed') {
      projectInput.value = value;
      source.value = from;
      result.value = null;
      void lookup();
    },
    setReason(value: string) {
      reason.value = value.slice(0, REASON_MAX);
    },
    setPreset(value: PresetId) {
      preset.value = value;
    },
    setCustomHours(value: string) {
      customHours.value = value;
    },
    /** From the Tickets tab: fill project and reason. */
    fillFromTicket(projectIdOfTicket: number, ticketNumber: string, subject: string) {
      reason.value = `Ticket ${ticketNumber}: ${subject}`.slice(0, REASON_MAX);
      this.setProjectInput(String(projectIdOfTicket), 'ticket');
    },
    validate(): string | null {
      if (projectId.value === null) return 'Pick a project: its id or a project URL.';
      if (hours.value === null)
        return `Enter a custom duration between 1 and ${MAX_CUSTOM_HOURS} hours (7 days).`;
      // The rest are the worker's own rules (the server enforces them too).
      return validateAccessInput({
        projectId: projectId.value,
        reason: reason.value,
        expirationSeconds: Math.round(hours.value * 3600),
      });
    },
    async submit(): Promise<void> {
      const invalid = this.validate();
      if (invalid) {
        result.value = { ok: false, message: invalid };
        return;
      }
      const id = projectId.value;
      const h = hours.value;
      if (id === null || h === null) return;
      submitting.value = true;
      result.value = null;
      const res = await callWorker('getAccess', {
        projectId: id,
        reason: reason.value,
        expirationSeconds: Math.round(h * 3600),
      });
      submitting.value = false;
      result.value = res.ok ? { ok: true, outcome: res.value } : { ok: false, message: res.error.message };
      if (res.ok) reason.value = '';
    },
  };
}

export type AccessForm = ReturnType<typeof createAccessForm>;
