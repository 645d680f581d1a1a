// The users panel's state: signals inside, getters and actions outside. Views read it; only this
// module talks to the server. Decisions are optimistic and rolled back when the server refuses.
import { batch, computed, signal } from '@preact/signals-core';
import type { Client } from '../../api/client.ts';
import type { ApiError } from '../../api/errors.ts';
import { type FollowOptions, followEvents } from '../../api/events.ts';
import type {
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
  action: 'approve' | 'reject' | 'remove' | 'load' | 'log';
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

/** The panel's signals and what follows from them: who may decide, the rows, the pending count. */
function createUsersState() {
  const me = signal<User | null>(null);
  const project = signal<Project | null>(null);
  const users = signal<ProjectUser[]>([]);
  const requests = signal<ProjectJoinRequest[]>([]);
  const invitations = signal<ProjectInvitation[]>([]);
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

  return {
    me,
    project,
    users,
    requests,
    invitations,
    orgUser,
    loaded,
    problem,
    done,
    busy,
    log,
    logState,
    deciding,
    ghosts,
    outsider,
    decideBlock,
    canManage,
    rows,
    pendingCount,
    setBusy,
    /** Bumped by each load: an older answer that lands later is dropped. */
    seq: 0,
    orgChecked: false,
  };
}
type UsersState = ReturnType<typeof createUsersState>;

/** Loads the project, its users, requests and invitations, and whether the user may invite anyway. */
function loader(client: Client, projectId: number, st: UsersState) {
  return async function refresh(): Promise<void> {
    const mine = ++st.seq;
    if (!st.me.value) {
      const v = await client.verifyToken();
      if (v.error) {
        st.problem.value = { action: 'load', name: '', error: v.error };
        st.loaded.value = true;
        return;
      }
      if (!v.data.user) {
        st.problem.value = { action: 'load', name: '', error: NO_USER };
        st.loaded.value = true;
        return;
      }
      st.me.value = v.data.user;
    }
    const [p, u, r, i] = await Promise.all([
      client.getProject(projectId),
      client.listProjectUsers(projectId),
      client.listJoinRequests(projectId),
      client.listProjectInvitations(projectId),
    ]);
    if (mine !== st.seq) return;
    const failed = p.error ?? u.error ?? r.error;
    batch(() => {
      st.loaded.value = true;
      if (failed) {
        st.problem.value = { action: 'load', name: '', error: failed };
        return;
      }
      if (st.problem.value?.action === 'load') st.problem.value = null;
      if (p.data) st.project.value = p.data;
      if (u.data) {
        const real = u.data;
        st.users.value = [
          ...real,
          ...[...st.ghosts.values()].filter((g) => !real.some((x) => x.id === g.id)),
        ];
      }
      // A decision in flight keeps its request out, whatever a refetch that lands meanwhile says.
      if (r.data) st.requests.value = r.data.filter((x) => !st.deciding.has(x.id));
      // Guests may not see invitations on a real stack: then there are simply none to show.
      st.invitations.value = i.data ?? [];
    });
    // An organization user who is not a manager member may still invite: ask once.
    const org = st.project.value?.organization.id;
    if (!st.orgChecked && org !== undefined && st.decideBlock.value !== null && !st.outsider.value) {
      st.orgChecked = true;
      const o = await client.listOrganizationUsers(org);
      st.orgUser.value = !!o.data?.some((x) => x.id === st.me.value?.id);
    }
  };
}

/** The approved member shown at once, before the server answers. */
function ghostOf(request: ProjectJoinRequest, me: User): ProjectUser {
  return {
    ...request.user,
    mfaEnabled: true,
    created: new Date().toISOString(),
    expires: request.expires,
    reason: request.reason,
    role: 'admin',
    status: 'active',
    invitor: null,
    approver: { id: me.id, name: me.name, email: me.email },
    // Not known until the server answers; "maintainer" draws no badge and counts nowhere.
    kind: 'maintainer',
  };
}

/** Approve, reject, remove and invite: optimistic, rolled back when the server refuses. */
function createActions(client: Client, projectId: number, st: UsersState, refresh: () => Promise<void>) {
  async function decide(request: ProjectJoinRequest, approve: boolean): Promise<void> {
    const who = request.user;
    const key = `u${who.id}`;
    st.deciding.add(request.id);
    const ghost = approve && st.me.value ? ghostOf(request, st.me.value) : undefined;
    if (ghost) st.ghosts.set(who.id, ghost);
    batch(() => {
      st.requests.value = st.requests.value.filter((r) => r.id !== request.id);
      if (ghost) {
        st.users.value = [...st.users.value.filter((u) => u.id !== who.id), ghost];
        st.setBusy(key, true);
      }
    });
    const res = approve
      ? await client.approveJoinRequest(projectId, request.id)
      : await client.rejectJoinRequest(projectId, request.id);
    st.deciding.delete(request.id);
    st.ghosts.delete(who.id);
    if (res.error) {
      batch(() => {
        if (!st.requests.value.some((r) => r.id === request.id))
          st.requests.value = [request, ...st.requests.value];
        if (ghost) st.users.value = st.users.value.filter((u) => u !== ghost);
        st.setBusy(key, false);
        st.problem.value = { action: approve ? 'approve' : 'reject', name: who.name, error: res.error };
      });
      // Decided or gone elsewhere (404/409): the list must show what is true now.
      if (res.error.kind === 'http' && res.error.httpStatus !== 403) await refresh();
      return;
    }
    st.done.value = { action: approve ? 'approved' : 'rejected', name: who.name };
    await refresh();
    st.setBusy(key, false);
  }

  async function remove(user: ProjectUser): Promise<void> {
    const key = `u${user.id}`;
    st.setBusy(key, true);
    const res = await client.removeProjectUser(projectId, user.id);
    st.setBusy(key, false);
    if (res.error) {
      st.problem.value = { action: 'remove', name: user.name, error: res.error };
      return;
    }
    st.users.value = st.users.value.filter((u) => u.id !== user.id);
    st.done.value = { action: 'removed', name: user.name };
    await refresh();
  }

  /** Resolves to the error to show in the form, or null when the invitation went out. */
  async function invite(email: string, role: ProjectRole): Promise<ApiError | null> {
    const res = await client.createProjectInvitation(projectId, { email, role });
    if (res.error) return res.error;
    st.done.value = { action: 'invitationSent', name: email };
    await refresh();
    return null;
  }

  return { decide, remove, invite };
}

/** The access history, page by page. */
function createAccessLog(client: Client, projectId: number, logPageSize: number, st: UsersState) {
  /** Loads the first page of the access history (`reset`) or the next, older one. */
  async function loadLog(reset = false): Promise<void> {
    if (st.logState.value === 'loading' || st.logState.value === 'none') return;
    const offset = reset ? 0 : st.log.value.length;
    // A reset (live update) reloads as many entries as are shown, so older pages stay open.
    const limit = reset ? Math.min(500, Math.max(logPageSize, st.log.value.length)) : logPageSize;
    st.logState.value = 'loading';
    const res = await client.listAccessLog(projectId, { offset, limit });
    if (res.error?.kind === 'unsupported') {
      st.logState.value = 'none';
      return;
    }
    if (res.error) {
      st.problem.value = { action: 'log', name: '', error: res.error };
      st.logState.value = 'more';
      return;
    }
    const seen = new Set(reset ? [] : st.log.value.map((e) => e.id));
    const page = res.data.filter((e) => !seen.has(e.id));
    batch(() => {
      st.log.value = [...(reset ? [] : st.log.value), ...page].sort((a, b) => b.id - a.id);
      st.logState.value = res.data.length < limit ? 'end' : 'more';
    });
  }

  return loadLog;
}

/** Refetches on the user's events about this project, or by polling where there are none. */
function follower(
  client: Client,
  projectId: number,
  st: UsersState,
  refresh: () => Promise<void>,
  loadLog: (reset?: boolean) => Promise<void>,
) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Several events in a burst cause one refetch. */
  function soon(): void {
    clearTimeout(timer);
    timer = setTimeout(() => {
      refresh();
      if (st.logState.value !== 'idle') loadLog(true);
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
        if ('project' in event && event.project.id === projectId) soon();
      },
      // A fresh stream starts now: whatever happened since the last load is refetched. A resumed
      // one replays what was missed, so its events say what to refetch.
      onOpen: ({ resumed }) => {
        if (!resumed) soon();
      },
      onPoll: async () => {
        await refresh();
        if (st.logState.value !== 'idle') await loadLog(true);
      },
    });
    return () => {
      follower.stop();
      clearTimeout(timer);
    };
  }

  return live;
}

export function createUsersModel(client: Client, projectId: number, logPageSize = 20) {
  const st = createUsersState();
  const {
    me,
    project,
    rows,
    loaded,
    decideBlock,
    canManage,
    pendingCount,
    problem,
    done,
    busy,
    log,
    logState,
  } = st;
  const refresh = loader(client, projectId, st);
  const { decide, remove, invite } = createActions(client, projectId, st, refresh);
  const loadLog = createAccessLog(client, projectId, logPageSize, st);
  const live = follower(client, projectId, st, refresh, loadLog);

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
    isBusy: (key: string) => busy.value.has(key),
    dismiss: () => {
      problem.value = null;
    },
    refresh,
    approve: (r: ProjectJoinRequest) => decide(r, true),
    reject: (r: ProjectJoinRequest) => decide(r, false),
    remove,
    invite,
    loadLog,
    live,
  };
}

export type UsersModel = ReturnType<typeof createUsersModel>;
