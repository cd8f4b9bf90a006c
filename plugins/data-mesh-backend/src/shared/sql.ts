import type { Knex } from 'knex';

/**
 * Rows (or bound values) one statement takes at most by default; keeps
 * SQLite under its limit of variables and of terms in a compound select.
 */
export const CHUNK = 500;
/** Rows PostgreSQL takes in one bulk insert, as one array per column. */
const PG_CHUNK = 50_000;

/** `items` in slices of at most `size`. */
export function chunks<T>(items: T[], size: number = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}

export function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}

/** ISO-8601 of a timestamp column, which each engine returns in its own type. */
export function toIso(
  value: Date | string | null | undefined,
): string | undefined {
  if (value === null || value === undefined) return undefined;
  return new Date(value).toISOString();
}

/** Counts the SQL statements `knex` issues while `work` runs. */
export async function countStatements<T>(
  knex: Knex,
  work: () => Promise<T>,
): Promise<{ result: T; statements: number }> {
  let statements = 0;
  const listener = () => {
    statements++;
  };
  knex.on('query', listener);
  try {
    const result = await work();
    return { result, statements };
  } finally {
    knex.removeListener('query', listener);
  }
}

/** Whether every value is the same (dates by their time). */
function sameValue(values: unknown[]): boolean {
  const first = values[0];
  if (first instanceof Date) {
    const time = first.getTime();
    return values.every(v => v instanceof Date && v.getTime() === time);
  }
  if (first !== null && typeof first === 'object') return false;
  return values.every(v => v === first);
}

/**
 * Inserts (or upserts) rows in as few statements as the engine allows:
 * PostgreSQL takes tens of thousands of rows as one array per column;
 * SQLite takes them in chunks of 500, its limit of terms in one compound
 * select.
 */
export class BulkInsert {
  private readonly types = new Map<string, Map<string, string>>();

  constructor(private readonly knex: Knex) {}

  async insert(
    tx: Knex.Transaction,
    table: string,
    rows: Record<string, unknown>[],
    upsert?: { conflict: string[]; merge: string[] },
  ): Promise<void> {
    if (rows.length === 0) return;
    if (!isPostgres(this.knex)) {
      for (const part of chunks(rows, CHUNK)) {
        const insert = tx(table).insert(part);
        if (upsert)
          await insert.onConflict(upsert.conflict).merge(upsert.merge);
        else await insert;
      }
      return;
    }
    const columns = Object.keys(rows[0]);
    const types = await this.columnTypes(tx, table);
    const typeOf = (column: string) => {
      const type = types.get(column);
      if (!type) throw new Error(`${table} has no column ${column}`);
      return type;
    };
    const list = columns.map(c => `"${c}"`).join(', ');
    const conflict = upsert
      ? ` ON CONFLICT (${upsert.conflict
          .map(c => `"${c}"`)
          .join(', ')}) DO UPDATE SET ${upsert.merge
          .map(c => `"${c}" = excluded."${c}"`)
          .join(', ')}`
      : '';
    for (const part of chunks(rows, PG_CHUNK)) {
      // A column with one value in every row (the run's time, a day, a run
      // id) goes as that one value: both ends would otherwise handle it once
      // per row. The first column stays an array, so that the statement
      // inserts as many rows as it is given.
      const scalars: unknown[] = [];
      const arrays: unknown[][] = [];
      const selected: string[] = [];
      const unnested: string[] = [];
      const arrayColumns: string[] = [];
      columns.forEach((column, i) => {
        const values = part.map(row => row[column] ?? null);
        if (i > 0 && sameValue(values)) {
          scalars.push(values[0]);
          selected.push(`?::${typeOf(column)}`);
        } else {
          arrays.push(values);
          unnested.push(`?::${typeOf(column)}[]`);
          arrayColumns.push(`"${column}"`);
          selected.push(`u."${column}"`);
        }
      });
      await tx.raw(
        `INSERT INTO "${table}" (${list}) SELECT ${selected.join(
          ', ',
        )} FROM unnest(${unnested.join(', ')}) AS u(${arrayColumns.join(
          ', ',
        )})${conflict}`,
        // The scalars come first in the text; knex's types do not cover
        // array bindings.
        [...scalars, ...arrays] as any,
      );
    }
  }

  /** SQL types of a table's columns, read once, to type the arrays of a bulk insert. */
  private async columnTypes(
    tx: Knex.Transaction,
    table: string,
  ): Promise<Map<string, string>> {
    let types = this.types.get(table);
    if (!types) {
      const result = await tx.raw(
        'SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? AND table_schema = current_schema()',
        [table],
      );
      types = new Map(
        result.rows.map((r: any) => [r.column_name, r.data_type as string]),
      );
      this.types.set(table, types);
    }
    return types;
  }
}

const NUL = String.fromCharCode(0);

/**
 * The value with every NUL character removed from its strings, sharing what
 * holds none. PostgreSQL cannot store NUL in text and SQLite can: removing it
 * before a write makes both store the same thing instead of one failing the
 * request, and a NUL means nothing in a name, a message or a reason.
 */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') {
    return (value.includes(NUL) ? value.split(NUL).join('') : value) as T;
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map(item => {
      const clean = withoutNul(item);
      if (clean !== item) changed = true;
      return clean;
    });
    return (changed ? out : value) as T;
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    let out: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const clean = withoutNul(item);
      if (clean !== item) {
        out ??= { ...(value as Record<string, unknown>) };
        out[key] = clean;
      }
    }
    return (out ?? value) as T;
  }
  return value;
}
