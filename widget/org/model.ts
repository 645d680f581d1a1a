// The organization's Auto Join setting: signals inside, getters and actions outside. The switch is
// optimistic and flips back, with the server's reason, when the change is refused.
import { batch, signal } from '@preact/signals-core';
import type { PanelClient as Client } from '../../api/core-client.ts';
import type { ApiError } from '../../api/errors.ts';
import type { Organization } from '../../api/types.ts';

export function createOrganizationModel(client: Client, organizationId: number) {
  const org = signal<Organization | null>(null);
  const member = signal(false);
  /** A support user (the server's outsider rule): no say in the customer's settings, member or not. */
  const outsider = signal(false);
  const loaded = signal(false);
  const saving = signal(false);
  const problem = signal<{ action: 'load' | 'save'; error: ApiError } | null>(null);
  /** The last change made here, for the live region. */
  const changed = signal<boolean | null>(null);

  async function refresh(): Promise<void> {
    const [v, o] = await Promise.all([client.verifyToken(), client.getOrganization(organizationId)]);
    const failed = v.error ?? o.error;
    if (failed) {
      batch(() => {
        loaded.value = true;
        problem.value = { action: 'load', error: failed };
      });
      return;
    }
    // Only members may list the organization's users: a refusal means "not a member".
    const users = await client.listOrganizationUsers(organizationId);
    batch(() => {
      org.value = o.data ?? null;
      member.value = !!users.data?.some((u) => u.id === v.data?.user?.id);
      outsider.value = !!v.data?.user?.isSuperAdmin;
      loaded.value = true;
      if (problem.value?.action === 'load') problem.value = null;
    });
  }

  async function setAutoJoin(allowAutoJoin: boolean): Promise<void> {
    const before = org.value;
    if (!before || saving.value) return;
    batch(() => {
      org.value = { ...before, allowAutoJoin };
      saving.value = true;
      problem.value = null;
    });
    const res = await client.updateOrganization(organizationId, { allowAutoJoin });
    batch(() => {
      saving.value = false;
      if (res.error) {
        org.value = before;
        problem.value = { action: 'save', error: res.error };
      } else {
        // Keboola's PATCH answer has no maintainer: the one read before still holds.
        org.value = { ...res.data, maintainer: res.data.maintainer ?? before.maintainer };
        changed.value = res.data.allowAutoJoin;
      }
    });
  }

  return {
    /** Reads every signal the view shows (see ../common/hooks.ts). */
    track: () => [
      org.value,
      member.value,
      outsider.value,
      loaded.value,
      saving.value,
      problem.value,
      changed.value,
    ],
    get organization() {
      return org.value;
    },
    get isMember() {
      return member.value;
    },
    /** Support joins an organization under Auto Join but may not change its settings (403). */
    get isOutsider() {
      return outsider.value;
    },
    get loaded() {
      return loaded.value;
    },
    get saving() {
      return saving.value;
    },
    get problem() {
      return problem.value;
    },
    get changed() {
      return changed.value;
    },
    /** For the parts that load later (the Webhooks section): the same client. */
    client,
    organizationId,
    dismiss: () => {
      problem.value = null;
    },
    refresh,
    setAutoJoin,
  };
}

export type OrganizationModel = ReturnType<typeof createOrganizationModel>;
