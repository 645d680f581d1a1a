// The SQL both SQL stores run, written once: sqlite.ts and postgres.ts each pass a Dialect (how a
// value becomes a parameter, how a list is matched, what a boolean literal and "no limit" are) and
// run what this answers. Parameterized only: the only identifiers in SQL text are schema.ts's table
// and column names (checked here against the schema before they reach a statement), quoted.
import { joinsOf, type ReadSpec } from './reads.ts';
import { type ColumnType, SCHEMA, TABLE_NAMES, type TableName } from './schema.ts';
import type { FindOptions } from './types.ts';

export type SqlValue = string | number | boolean | null;

export const q = (name: string) => `"${name}"`;

export function columnsOf(table: TableName): [string, ColumnType][] {
  return Object.entries(SCHEMA[table].columns) as [string, ColumnType][];
}

const TYPES = new Map<TableName, Map<string, ColumnType>>();
for (const t of TABLE_NAMES) TYPES.set(t, new Map(columnsOf(t)));

/** A column's type; `id` is an int; any other name schema.ts does not give the table is an error. */
export function typeOf(table: TableName, column: string): ColumnType {
  if (column === 'id') return 'int';
  const type = TYPES.get(table)?.get(column);
  if (!type) throw new Error(`Unknown column ${column}`);
  return type;
}

export function whole(n: number): number {
  if (!Number.isSafeInteger(n) || n < -1) throw new Error(`Invalid LIMIT/OFFSET ${n}`);
  return n;
}

/**
 * Why a database cannot be opened, in one line: the driver's error code looked up in `reasons`
 * (each store's own codes), else the driver's message.
 */
export function reasonOf(e: unknown, reasons: Readonly<Record<string, string>>): string {
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && Object.hasOwn(reasons, code)) return reasons[code] as string;
  return e instanceof Error ? e.message : String(e);
}

/** How one database spells what differs. */
export interface Dialect {
  /** Adds a column's value to `values` and answers its placeholder (with a cast where one is needed). */
  param(values: SqlValue[], table: TableName, column: string, value: unknown): string;
  /** `column` equals `value`, null matching null. */
  equals(values: SqlValue[], table: TableName, column: string, value: unknown): string;
  /** `column` is one of `list` (never empty). */
  oneOf(values: SqlValue[], table: TableName, column: string, list: readonly unknown[]): string;
  readonly true: string;
  readonly false: string;
  /** A LIMIT's literal: -1 is "no limit" (checked whole numbers, as literals: see find). */
  limit(n: number): string;
  offset(n: number): string;
  /** Ids per statement in getMany and deleteMany. */
  readonly chunk: number;
  /** INSERT lists `id` (null: the database picks) even when the row has none: one statement per table. */
  readonly insertsNullId: boolean;
  /** INSERT and UPDATE answer the ids they touched (`RETURNING id`) instead of a change count. */
  readonly returning: boolean;
  /** The DDL type of a schema column. */
  readonly types: Record<ColumnType, string>;
  /** The id column's DDL. */
  readonly id: string;
}

export interface Statement {
  text: string;
  values: SqlValue[];
}

/** Equality on every given column; null matches null, as in the memory store. */
export function whereSql(d: Dialect, table: TableName, filter: object, values: SqlValue[]): string[] {
  const f = filter as Record<string, unknown>;
  const conds: string[] = [];
  for (const k of Object.keys(f)) {
    const v = f[k];
    if (v === undefined) continue;
    typeOf(table, k);
    conds.push(d.equals(values, table, k, v));
  }
  return conds;
}

/** `(a IN … AND b IN …) OR (…)`; an empty group list, or an empty list, matches nothing. */
export function anyOfSql(
  d: Dialect,
  table: TableName,
  groups: readonly Record<string, readonly unknown[] | undefined>[],
  values: SqlValue[],
): string {
  const parts = groups.map((group) => {
    const conds: string[] = [];
    for (const k of Object.keys(group)) {
      const list = group[k];
      if (list === undefined) continue;
      typeOf(table, k);
      conds.push(list.length === 0 ? d.false : d.oneOf(values, table, k, list));
    }
    return conds.length ? conds.join(' AND ') : d.true;
  });
  return parts.length ? `(${parts.map((p) => `(${p})`).join(' OR ')})` : d.false;
}

const whereClause = (conds: string[]) => (conds.length ? ` WHERE ${conds.join(' AND ')}` : '');

export function findSql(
  d: Dialect,
  table: TableName,
  filter: object,
  options: FindOptions<TableName>,
): Statement {
  const values: SqlValue[] = [];
  const conds = whereSql(d, table, filter, values);
  if (options.afterId !== undefined) conds.push(`id > ${d.param(values, table, 'id', options.afterId)}`);
  if (options.anyOf !== undefined)
    conds.push(anyOfSql(d, table, options.anyOf as Record<string, readonly unknown[] | undefined>[], values));
  const dir = options.desc ? 'DESC' : 'ASC';
  let order = `id ${dir}`;
  if (options.orderBy !== undefined && options.orderBy !== 'id') {
    typeOf(table, options.orderBy);
    order = `${q(options.orderBy)} ${dir}, ${order}`;
  }
  let text = `SELECT * FROM ${q(table)}${whereClause(conds)} ORDER BY ${order}`;
  // Literals, not bound parameters: with a bound LIMIT SQLite's planner cannot pick the cheap plan.
  if (options.limit !== undefined || options.offset !== undefined)
    text += ` LIMIT ${d.limit(options.limit ?? -1)} OFFSET ${d.offset(options.offset ?? 0)}`;
  return { text, values };
}

export function countSql(d: Dialect, table: TableName, filter: object): Statement {
  const values: SqlValue[] = [];
  const conds = whereSql(d, table, filter, values);
  return { text: `SELECT count(*) AS n FROM ${q(table)}${whereClause(conds)}`, values };
}

export function getSql(d: Dialect, table: TableName, id: number): Statement {
  const values: SqlValue[] = [];
  return { text: `SELECT * FROM ${q(table)} WHERE id = ${d.param(values, table, 'id', id)}`, values };
}

/** Rows by id, one statement per `d.chunk` ids. */
export function getManySql(d: Dialect, table: TableName, ids: readonly number[]): Statement[] {
  return chunks(d, ids).map((chunk) => {
    const values: SqlValue[] = [];
    return { text: `SELECT * FROM ${q(table)} WHERE ${d.oneOf(values, table, 'id', chunk)}`, values };
  });
}

export function deleteSql(d: Dialect, table: TableName, id: number): Statement {
  const values: SqlValue[] = [];
  return { text: `DELETE FROM ${q(table)} WHERE id = ${d.param(values, table, 'id', id)}`, values };
}

export function deleteManySql(d: Dialect, table: TableName, ids: readonly number[]): Statement[] {
  return chunks(d, ids).map((chunk) => {
    const values: SqlValue[] = [];
    return { text: `DELETE FROM ${q(table)} WHERE ${d.oneOf(values, table, 'id', chunk)}`, values };
  });
}

function chunks(d: Dialect, ids: readonly number[]): (readonly number[])[] {
  const out: (readonly number[])[] = [];
  for (let i = 0; i < ids.length; i += d.chunk) out.push(ids.slice(i, i + d.chunk));
  return out;
}

/** The insert of one row; `explicitId` when the row names its id (fixtures). */
export function insertSql(d: Dialect, table: TableName, row: object): Statement & { explicitId: boolean } {
  const record = row as Record<string, unknown>;
  const explicitId = record.id !== undefined && record.id !== null;
  const values: SqlValue[] = [];
  const cols: string[] = [];
  const placeholders: string[] = [];
  if (explicitId || d.insertsNullId) {
    cols.push('id');
    placeholders.push(d.param(values, table, 'id', record.id));
  }
  for (const [c] of columnsOf(table)) {
    cols.push(q(c));
    placeholders.push(d.param(values, table, c, record[c]));
  }
  const text = `INSERT INTO ${q(table)} (${cols.join(', ')}) VALUES (${placeholders.join(', ')})${d.returning ? ' RETURNING id' : ''}`;
  return { text, values, explicitId };
}

/**
 * Compare-and-set: `patch` on row `id` if it still matches `expected`; null when the patch is empty
 * (the caller counts instead).
 */
export function updateSql(
  d: Dialect,
  table: TableName,
  id: number,
  expected: object,
  patch: object,
): Statement | null {
  const p = patch as Record<string, unknown>;
  const keys = Object.keys(p).filter((k) => p[k] !== undefined && k !== 'id');
  if (keys.length === 0) return null;
  const values: SqlValue[] = [];
  const sets = keys.map((k) => {
    typeOf(table, k);
    return `${q(k)} = ${d.param(values, table, k, p[k])}`;
  });
  const conds = [`id = ${d.param(values, table, 'id', id)}`, ...whereSql(d, table, expected, values)];
  return {
    text: `UPDATE ${q(table)} SET ${sets.join(', ')} WHERE ${conds.join(' AND ')}${d.returning ? ' RETURNING id' : ''}`,
    values,
  };
}

/** Rows whose `column` is set and at most `upTo`, matching `filter`, soonest first. */
export function findDueSql(
  d: Dialect,
  table: TableName,
  column: string,
  upTo: number,
  filter: object,
  limit: number | undefined,
): Statement {
  if (column === 'id') throw new Error(`Unknown column ${column}`);
  typeOf(table, column);
  const values: SqlValue[] = [];
  const conds = [
    `${q(column)} IS NOT NULL`,
    `${q(column)} <= ${d.param(values, table, column, upTo)}`,
    ...whereSql(d, table, filter, values),
  ];
  return {
    text: `SELECT * FROM ${q(table)} WHERE ${conds.join(' AND ')} ORDER BY ${q(column)}, id${limit === undefined ? '' : ` LIMIT ${d.limit(limit)}`}`,
    values,
  };
}

/** True when no Store table holds a row (one statement). */
export function anyRowsSql(): string {
  return `SELECT (${TABLE_NAMES.map((t) => `EXISTS (SELECT 1 FROM ${q(t)})`).join(' OR ')}) AS "any"`;
}

/**
 * A read of reads.ts as one joined statement, keyed by one parameter: its own columns, then each
 * joined column under its field's name (the order the fields are declared in, which a caller
 * reading rows as arrays relies on).
 */
export function readSql(d: Dialect, spec: ReadSpec, key: number): Statement {
  const values: SqlValue[] = [];
  const joins = joinsOf(spec);
  const alias = (on: string, table: TableName) => joins.find(([o, t]) => o === on && t === table)?.[2];
  const fields = [
    ...spec.columns.map((c) => `m.${q(c)}`),
    ...Object.entries(spec.joined).map(
      ([field, [on, table, column]]) => `${alias(on, table)}.${q(column)} AS ${q(field)}`,
    ),
  ];
  const text = `SELECT ${fields.join(', ')}
   FROM ${q(spec.from)} m
   ${joins.map(([on, table, a]) => `LEFT JOIN ${q(table)} ${a} ON ${a}.id = m.${q(on)}`).join('\n   ')}
   WHERE m.${q(spec.by)} = ${d.param(values, spec.from, spec.by, key)}
   ORDER BY m.id`;
  return { text, values };
}

/**
 * Every Store table, its unique and plain indexes, as `dialect` writes them: SQLite runs this at
 * open; PostgreSQL's tables come from its migrations, which postgres-migrations.test.ts checks
 * against this (a new column or index fails it until a migration adds it).
 */
export function schemaSql(d: Dialect, ifNotExists: boolean): string[] {
  const ine = ifNotExists ? 'IF NOT EXISTS ' : '';
  const parts: string[] = [];
  for (const table of TABLE_NAMES) {
    const def = SCHEMA[table];
    const cols = [`id ${d.id}`, ...columnsOf(table).map(([c, t]) => `${q(c)} ${d.types[t]}`)];
    parts.push(`CREATE TABLE ${ine}${q(table)} (${cols.join(', ')});`);
    const index = (prefix: string, unique: string, idx: string[]) =>
      parts.push(
        `CREATE ${unique}INDEX ${ine}${q(`${prefix}_${table}_${idx.join('_')}`)} ON ${q(table)} (${idx.map(q).join(', ')});`,
      );
    for (const idx of (def.unique ?? []) as string[][]) index('u', 'UNIQUE ', idx);
    for (const idx of (def.indexes ?? []) as string[][]) index('i', '', idx);
  }
  return parts;
}
