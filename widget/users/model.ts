// The users panel's state: signals inside, getters and actions outside. Views read it; only this
// module talks to the server. Decisions are optimistic and rolled back when the server refuses.
import { batch, computed, signal } from '@preact/signals-core';
import type { PanelClient } from '../../api/core-client.ts';
import type { ApiError } from '../../api/errors.ts';
import { type FollowOptions, followEvents } from '../../api/events.ts';
import { grantMethods } from '../../api/grants.ts';
import type {
  AccessGrant,
  AccessLogEntry,
  AnyProjectRole,
  Project,
  ProjectInvitation,
  ProjectJoinRequest,
  ProjectRole,
  ProjectUser,
  User,
} from '../../api/types.ts';

export type Row =
  | { type: 'request'; key: string; request: ProjectJoinRequest }
  | { type: 'member'; key: string; user: ProjectUser }
  | { type: 'invitation'; key: string; invitation: ProjectInvitation };

/**
 * Why the signed-in user may not approve or reject: null when they may. `outsider`: not a member;
 * `support`: a support or maintainer user (the server's outsider rule), whatever their role, who may
 * neither decide nor manage anyone: the project's own admins do.
 */
export type DecideBlock = null | { role: AnyProjectRole } | 'outsider' | 'support';

/** A failed action, kept until dismissed or replaced; the view words it. */
export interface Problem {
  action: 'approve' | 'reject' | 'remove' | 'load' | 'log' | 'withdraw';
  name: string;
  error: ApiError;
}

/** A finished action for the live region. */
export interface Done {
  action: 'approved' | 'rejected' | 'removed' | 'invitationSent';
  name: string;
}

/** What a host or a test may change about how the panel follows events (see api/events.ts). */
export type LiveOptions = Pick<FollowOptions, 'fetch' | 'visibility' | 'memory' | 'poll' | 'reconnect'>;

/** tokens/verify of a token without a user (an application token): it cannot be anyone's panel. */
export const NO_USER: ApiError = {
  kind: 'invalidResponse',
  code: 'invalidResponse',
  // The view words it from its packs (errorNoUser): this message is for other callers.
  httpStatus: 200,
  message: 'This token belongs to no user (an application token); a personal token is needed.',
};

export function createUsersModel(client: PanelClient, projectId: number, logPageSize = 20) {
  const access = grantMethods(client);
  const me = signal<User | null>(null);
  const project = signal<Project | null>(null);
  const users = signal<ProjectUser[]>([]);
  const requests = signal<ProjectJoinRequest[]>([]);
  const invitations = signal<ProjectInvitation[]>([]);
  /** Active grants (access for a ticket, issue 23) of the project, for its deciders. */
  const grants = signal<AccessGrant[]>([]);
  const orgUser = signal(false);
  const loaded = signal(false);
  const problem = signal<Problem | null>(null);
  const done = signal<Done | null>(null);
  const busy = signal<ReadonlySet<string>>(new Set());
  const log = signal<AccessLogEntry[]>([]);
  /** `none`: the stack keeps no access log (a Keboola stack). */
  const logState = signal<'idle' | 'loading' | 'more' | 'end' | 'none'>('idle');

  /** Requests with a decision in flight: a refetch that lands meanwhile must not bring them back. */
  const deciding = new Set<number>();
  /** Optimistic members of approvals in flight, kept through refetches until the server has them. */
  const ghosts = new Map<number, ProjectUser>();
  let seq = 0;
  let orgChecked = false;

  const membership = computed(() => users.value.find((u) => u.id === me.value?.id));
  // The server's outsider rule: support users (isSuperAdmin) and members it counts as support or
  // maintainer have no say in a customer's project, whatever their role; offering them Approve,
  // Remove or Invite would only end in a 403.
  const outsider = computed(
    () => !!me.value?.isSuperAdmin || (membership.value !== undefined && membership.value.kind !== 'member'),
  );
  const decideBlock = computed<DecideBlock>(() => {
    const m = membership.value;
    if (outsider.value) return 'support';
    if (m?.role === 'admin' || m?.role === 'share') return null;
    return m ? { role: m.role } : 'outsider';
  });
  const canManage = computed(() => !outsider.value && (decideBlock.value === null || orgUser.value));

  const rows = computed<Row[]>(() => {
    const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
    return [
      ...requests.value.map((r): Row => ({ type: 'request', key: `r${r.id}`, request: r })),
      ...[...users.value].sort(byName).map((u): Row => ({ type: 'member', key: `u${u.id}`, user: u })),
      ...invitations.value.map((i): Row => ({ type: 'invitation', key: `i${i.id}`, invitation: i })),
    ];
  });

  /** The launcher's dot counts requests only for those who may decide them. */
  const pendingCount = computed(() => (decideBlock.value === null ? requests.value.length : 0));

  function setBusy(key: string, on: boolean): void {
    const next = new Set(busy.value);
    if (on) next.add(key);
    else next.delete(key);
    busy.value = next;
  }

  async function refresh(): Promise<void> {
    const mine = ++seq;
    if (!me.value) {
      const v = await client.verifyToken();
      if (v.error) {
        problem.value = { action: 'load', name: '', error: v.error };
        loaded.value = true;
        return;
      }
      if (!v.data.user) {
        problem.value = { action: 'load', name: '', error: NO_USER };
        loaded.value = true;
        return;
      }
      me.value = v.data.user;
    }
    const [p, u, r, i, g] = await Promise.all([
      client.getProject(projectId),
      client.listProjectUsers(projectId),
      client.listJoinRequests(projectId),
      client.listProjectInvitations(projectId),
      access.listGrants({ projectId }),
    ]);
    if (mine !== seq) return;
    const failed = p.error ?? u.error ?? r.error;
    batch(() => {
      loaded.value = true;
      if (failed) {
        problem.value = { action: 'load', name: '', error: failed };
        return;
      }
      if (problem.value?.action === 'load') problem.value = null;
      if (p.data) project.value = p.data;
      if (u.data) {
        const real = u.data;
        users.value = [...real, ...[...ghosts.values()].filter((g) => !real.some((x) => x.id === g.id))];
      }
      // A decision in flight keeps its request out, whatever a refetch that lands meanwhile says.
      if (r.data) requests.value = r.data.filter((x) => !deciding.has(x.id));
      // Guests may not see invitations on a real stack: then there are simply none to show.
      invitations.value = i.data ?? [];
      // Only a decider's list has any (a stack without grants answers 404: none).
      grants.value = g.data ?? [];
    });
    // An organization user who is not a manager member may still invite: ask once.
    const org = project.value?.organization.id;
    if (!orgChecked && org !== undefined && decideBlock.value !== null && !outsider.value) {
      orgChecked = true;
      const o = await client.listOrganizationUsers(org);
      orgUser.value = !!o.data?.some((x) => x.id === me.value?.id);
    }
  }

  async function decide(request: ProjectJoinRequest, approve: boolean): Promise<void> {
    const who = request.user;
    const key = `u${who.id}`;
    deciding.add(request.id);
    const ghost: ProjectUser | undefined =
      approve && me.value
        ? {
            ...who,
            mfaEnabled: true,
            created: new Date().toISOString(),
            expires: request.expires,
            reason: request.reason,
            role: 'admin',
            status: 'active',
            invitor: null,
            approver: { id: me.value.id, name: me.value.name, email: me.value.email },
            // Not known until the server answers; "maintainer" draws no badge and counts nowhere.
            kind: 'maintainer',
          }
        : undefined;
    if (ghost) ghosts.set(who.id, ghost);
    batch(() => {
      requests.value = requests.value.filter((r) => r.id !== request.id);
      if (ghost) {
        users.value = [...users.value.filter((u) => u.id !== who.id), ghost];
        setBusy(key, true);
      }
    });
    const res = approve
      ? await client.approveJoinRequest(projectId, request.id)
      : await client.rejectJoinRequest(projectId, request.id);
    deciding.delete(request.id);
    ghosts.delete(who.id);
    if (res.error) {
      batch(() => {
        if (!requests.value.some((r) => r.id === request.id)) requests.value = [request, ...requests.value];
        if (ghost) users.value = users.value.filter((u) => u !== ghost);
        setBusy(key, false);
        problem.value = { action: approve ? 'approve' : 'reject', name: who.name, error: res.error };
      });
      // Decided or gone elsewhere (404/409): the list must show what is true now.
      if (res.error.kind === 'http' && res.error.httpStatus !== 403) await refresh();
      return;
    }
    done.value = { action: approve ? 'approved' : 'rejected', name: who.name };
    await refresh();
    setBusy(key, false);
  }

  async function remove(user: ProjectUser): Promise<void> {
    const key = `u${user.id}`;
    setBusy(key, true);
    const res = await client.removeProjectUser(projectId, user.id);
    setBusy(key, false);
    if (res.error) {
      problem.value = { action: 'remove', name: user.name, error: res.error };
      return;
    }
    users.value = users.value.filter((u) => u.id !== user.id);
    done.value = { action: 'removed', name: user.name };
    await refresh();
  }

  /** Withdraws a grant: the support members who joined with it are out at once. */
  async function withdraw(g: AccessGrant): Promise<void> {
    const key = `g${g.id}`;
    setBusy(key, true);
    const res = await access.withdrawGrant(g.ticket.id, g.id);
    setBusy(key, false);
    if (res.error) problem.value = { action: 'withdraw', name: g.ticket.number, error: res.error };
    await refresh();
  }

  /** Resolves to the error to show in the form, or null when the invitation went out. */
  async function invite(email: string, role: ProjectRole): Promise<ApiError | null> {
    const res = await client.createProjectInvitation(projectId, { email, role });
    if (res.error) return res.error;
    done.value = { action: 'invitationSent', name: email };
    await refresh();
    return null;
  }

  /** Loads the first page of the access history (`reset`) or the next, older one. */
  async function loadLog(reset = false): Promise<void> {
    if (logState.value === 'loading' || logState.value === 'none') return;
    const offset = reset ? 0 : log.value.length;
    // A reset (live update) reloads as many entries as are shown, so older pages stay open.
    const limit = reset ? Math.min(500, Math.max(logPageSize, log.value.length)) : logPageSize;
    logState.value = 'loading';
    const res = await client.listAccessLog(projectId, { offset, limit });
    if (res.error?.kind === 'unsupported') {
      logState.value = 'none';
      return;
    }
    if (res.error) {
      problem.value = { action: 'log', name: '', error: res.error };
      logState.value = 'more';
      return;
    }
    const seen = new Set(reset ? [] : log.value.map((e) => e.id));
    const page = res.data.filter((e) => !seen.has(e.id));
    batch(() => {
      log.value = [...(reset ? [] : log.value), ...page].sort((a, b) => b.id - a.id);
      logState.value = res.data.length < limit ? 'end' : 'more';
    });
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Several events in a burst cause one refetch. */
  function soon(): void {
    clearTimeout(timer);
    timer = setTimeout(() => {
      refresh();
      if (logState.value !== 'idle') loadLog(true);
    }, 50);
  }

  /**
   * Follows the user's events (the shared reader: the token in the header, only while the page is
   * visible) and refetches on any event about this project; where the stack has no events (or no
   * stream left for this user) the reader's backing-off poll refetches instead. Returns the stop.
   */
  function live(token: () => Promise<string | null>, o: LiveOptions = {}) {
    const follower = followEvents({
      baseUrl: client.baseUrl,
      token,
      ...o,
      onEvent: ({ event }) => {
        if ('project' in event && event.project?.id === projectId) soon();
      },
      // A fresh stream starts now: whatever happened since the last load is refetched. A resumed
      // one replays what was missed, so its events say what to refetch.
      onOpen: ({ resumed }) => {
        if (!resumed) soon();
      },
      onPoll: async () => {
        await refresh();
        if (logState.value !== 'idle') await loadLog(true);
      },
    });
    return () => {
      follower.stop();
      clearTimeout(timer);
    };
  }

  return {
    /** Reads every signal the view shows (see hooks.ts). */
    track: () => [
      me.value,
      decideBlock.value,
      rows.value,
      project.value,
      loaded.value,
      canManage.value,
      problem.value,
      done.value,
      busy.value,
      log.value,
      logState.value,
      grants.value,
    ],
    get me() {
      return me.value;
    },
    get project() {
      return project.value;
    },
    get rows() {
      return rows.value;
    },
    get loaded() {
      return loaded.value;
    },
    get decideBlock() {
      return decideBlock.value;
    },
    get canManage() {
      return canManage.value;
    },
    get pendingCount() {
      return pendingCount.value;
    },
    get problem() {
      return problem.value;
    },
    get done() {
      return done.value;
    },
    get log() {
      return log.value;
    },
    get logState() {
      return logState.value;
    },
    get grants() {
      return grants.value;
    },
    isBusy: (key: string) => busy.value.has(key),
    dismiss: () => {
      problem.value = null;
    },
    refresh,
    approve: (r: ProjectJoinRequest) => decide(r, true),
    reject: (r: ProjectJoinRequest) => decide(r, false),
    remove,
    withdraw,
    invite,
    loadLog,
    live,
  };
}

export type UsersModel = ReturnType<typeof createUsersModel>;
