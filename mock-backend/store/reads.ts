// The domain-shaped reads: rows of one table with columns of the rows they point at, read in one
// joined query (SQLite, PostgreSQL) instead of one read and then a batched look-up. Each is declared
// here once, as data; sql.ts writes its SQL for both dialects, memory.ts answers it from `find` and
// `getMany`, and cached.ts caches it under its table (a write to a table it joins drops it too). A
// new read shape is one entry here (and its test in store-suite.ts), not a method in every store.
import type { ProjectMemberRow, TableName, Tables } from './schema.ts';

/** One joined column: the column of the read's table that holds the id, the table it names, its column. */
type JoinedColumn<F extends TableName> = {
  [T in TableName]: readonly [
    on: keyof Tables[F] & string,
    table: T,
    column: Exclude<keyof Tables[T], 'id'> & string,
  ];
}[TableName];

export interface ReadSpec<F extends TableName = TableName> {
  /** The table whose rows the read answers, one result per row, in id order. */
  readonly from: F;
  /** The column the read is keyed by (`WHERE by = key`). */
  readonly by: keyof Tables[F] & string;
  /** Its own columns the result carries (only those: each one more is read and copied per row). */
  readonly columns: readonly (Exclude<keyof Tables[F], 'id'> & string)[];
  /**
   * Result field → the joined column it shows. Null when the id is null or names no row (users are
   * never deleted, so only a broken fixture does that).
   */
  readonly joined: Readonly<Record<string, JoinedColumn<F>>>;
}

/** Keeps the spec's literal types (so its row type can be derived) while checking it. */
const read = <F extends TableName, const S extends ReadSpec<F>>(spec: S & { from: F }): S => spec;

/** The columns of a membership that a project's user list shows (and judges expiry by). */
const MEMBER_LIST_COLUMNS = [
  'userId',
  'role',
  'kind',
  'reason',
  'created',
  'expires',
  'invitorId',
  'approverId',
] as const satisfies readonly (keyof ProjectMemberRow)[];

export const READS = {
  /**
   * Every membership of a project (expired ones too: the rules judge expiry by their clock), in id
   * order, each with the names of its user, invitor and approver: what a project's user list shows.
   * Only the columns the list needs (the row's own id, project and notice flag stay in the table).
   */
  projectMembersWithPeople: read({
    from: 'projectMembers',
    by: 'projectId',
    columns: MEMBER_LIST_COLUMNS,
    joined: {
      userName: ['userId', 'users', 'name'],
      userEmail: ['userId', 'users', 'email'],
      userMfaEnabled: ['userId', 'users', 'mfaEnabled'],
      invitorName: ['invitorId', 'users', 'name'],
      invitorEmail: ['invitorId', 'users', 'email'],
      approverName: ['approverId', 'users', 'name'],
      approverEmail: ['approverId', 'users', 'email'],
    },
  }),
  /**
   * Every membership of a project (expired ones too), in id order, with its user's address and
   * support flag (the outsider rule's first half): what a project's notices pick their recipients
   * by, in one join with users only (about half the cost of the list's row for a project of 1,000).
   */
  projectMemberContacts: read({
    from: 'projectMembers',
    by: 'projectId',
    columns: ['userId', 'role', 'kind', 'expires'],
    joined: {
      email: ['userId', 'users', 'email'],
      isSuperAdmin: ['userId', 'users', 'isSuperAdmin'],
    },
  }),
  /**
   * A user's read marks (every ticket they filed has one from the start, and anyone who read or
   * wrote in a thread has one), each with its ticket's staff message count, project and reporter:
   * the launcher's badge counts the unread staff replies in one read, however many tickets.
   */
  ticketMarksOfUser: read({
    from: 'ticketReads',
    by: 'userId',
    columns: ['ticketId', 'staffCount'],
    joined: {
      staffMessages: ['ticketId', 'tickets', 'staffMessages'],
      projectId: ['ticketId', 'tickets', 'projectId'],
      reporterId: ['ticketId', 'tickets', 'reporterId'],
    },
  }),
} as const;

export type ReadName = keyof typeof READS;

/** The key a read takes: the type of its `by` column. */
export type ReadKey<K extends ReadName> = (typeof READS)[K] extends {
  from: infer F extends TableName;
  by: infer B;
}
  ? Tables[F][B & keyof Tables[F]]
  : never;

/** One row a read answers: its own columns, then each joined column (or null). */
export type ReadRow<K extends ReadName> = (typeof READS)[K] extends {
  from: infer F extends TableName;
  columns: readonly (infer C)[];
  joined: infer J;
}
  ? Readonly<Pick<Tables[F], C & keyof Tables[F]>> & {
      readonly [A in keyof J]: J[A] extends readonly [unknown, infer T extends TableName, infer Col]
        ? Tables[T][Col & keyof Tables[T]] | null
        : never;
    }
  : never;

export type MemberWithPeople = ReadRow<'projectMembersWithPeople'>;
export type MemberContact = ReadRow<'projectMemberContacts'>;

/** The reads as plain specs (for the code that handles every read alike). */
export const READ_SPECS = READS as unknown as Record<ReadName, ReadSpec>;

/** One join per distinct id column: `[on, table, alias]`, aliases j0, j1, … in order of first use. */
export function joinsOf(spec: ReadSpec): [on: string, table: TableName, alias: string][] {
  const joins: [string, TableName, string][] = [];
  for (const [on, table] of Object.values(spec.joined))
    if (!joins.some(([o, t]) => o === on && t === table)) joins.push([on, table, `j${joins.length}`]);
  return joins;
}

/** The tables a read shows rows of besides its own (a write to one of them changes its answers). */
export function joinedTables(spec: ReadSpec): TableName[] {
  return [...new Set(Object.values(spec.joined).map(([, table]) => table))];
}

/** A read answered by the generic calls (the memory store): its rows, then their joined rows by id. */
export function readByFind<K extends ReadName>(
  store: {
    find<T extends TableName>(table: T, filter: Partial<Tables[T]>): Tables[T][];
    getMany<T extends TableName>(table: T, ids: readonly number[]): Map<number, Tables[T]>;
  },
  name: K,
  key: ReadKey<K>,
): ReadRow<K>[] {
  const spec = READ_SPECS[name];
  const rows = store.find(spec.from, { [spec.by]: key }) as unknown as Record<string, unknown>[];
  const looked = joinsOf(spec).map(([on, table]) => {
    const ids = new Set<number>();
    for (const r of rows) if (typeof r[on] === 'number') ids.add(r[on]);
    return [on, table, store.getMany(table, [...ids])] as const;
  });
  const fields = Object.entries(spec.joined).map(([field, [on, table, column]]) => {
    const rows = looked.find(([o, t]) => o === on && t === table)?.[2];
    return [field, on, column, rows as Map<number, Record<string, unknown>> | undefined] as const;
  });
  return rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const c of spec.columns) out[c] = r[c];
    for (const [field, on, column, rows] of fields) {
      const id = r[on];
      out[field] = (typeof id === 'number' ? rows?.get(id)?.[column] : undefined) ?? null;
    }
    return out as ReadRow<K>;
  });
}
