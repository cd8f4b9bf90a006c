import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { Knex } from 'knex';

/** The setting that keeps the PostgreSQL engine's documents in its table. */
export const DOCUMENTS_IN_TABLE_KEY =
  'search.collators.dataMesh.pg.documentsInTable';

/** `search.collators.dataMesh.pg.documentsInTable`, default false. */
export function readDocumentsInTable(config: Config): boolean {
  try {
    return config.getOptionalBoolean(DOCUMENTS_IN_TABLE_KEY) ?? false;
  } catch {
    throw new InputError(
      `Invalid ${DOCUMENTS_IN_TABLE_KEY}: expected true or false, found ${JSON.stringify(
        config.getOptional(DOCUMENTS_IN_TABLE_KEY),
      )}`,
    );
  }
}

/**
 * Whether the search plugin's database is PostgreSQL (knex's `pg` client,
 * or a name of the same driver), where Backstage's PostgreSQL engine runs.
 */
export function isPostgres(knex: Knex): boolean {
  return /^(pg|postgres)/.test(String(knex.client.config.client));
}

/** What {@link keepDocumentsInTable} found and did. */
export type DocumentStorageOutcome =
  /** The column was stored apart; it is now kept in the table, rows rewritten. */
  | { status: 'applied'; rows: number }
  /** An earlier start (or a person) had set it. */
  | { status: 'unchanged' }
  /** The search database is not PostgreSQL: the Lunr engine, nothing to do. */
  | { status: 'not-postgres' }
  /** No `documents` table: the PostgreSQL engine module is not installed. */
  | { status: 'no-table' };

/**
 * Keeps the JSON documents of Backstage's PostgreSQL search engine in its
 * `documents` table (`SET STORAGE MAIN`: compressed, in the row) rather than
 * apart from it, where PostgreSQL keeps large values by default.
 *
 * The engine writes each facet as "the value, or a list holding it"; with
 * the documents apart, the planner takes the small table for cheap to scan
 * and reads and decompresses every document a word matches, rather than use
 * the engine's index on them (bench/README.md, "Search"). The setting holds
 * for rows written after it, and the engine rewrites only documents that
 * changed, so the rows already there are rewritten here, once.
 */
export async function keepDocumentsInTable(
  knex: Knex,
): Promise<DocumentStorageOutcome> {
  if (!isPostgres(knex)) return { status: 'not-postgres' };
  // Search reads the table throughout. Setting the storage takes
  // PostgreSQL's exclusive lock, which stops reads too, so it commits at
  // once; the rewrite then holds a lock that stops other writers (an index
  // run, another replica starting) but not reads.
  const changed = await knex.transaction(async tx => {
    // to_regclass follows the search path, as the engine's own queries do
    // (a schema per plugin, or the search plugin's database).
    const exists = await tx.raw<{ rows: Array<{ table: string | null }> }>(
      `SELECT to_regclass('documents')::text AS "table"`,
    );
    if (!exists.rows[0]?.table) return 'no-table' as const;
    // Replicas starting together take turns: the second finds it done.
    await tx.raw('LOCK TABLE documents IN SHARE ROW EXCLUSIVE MODE');
    const { rows } = await tx.raw<{ rows: Array<{ attstorage: string }> }>(
      `SELECT attstorage FROM pg_attribute
        WHERE attrelid = to_regclass('documents') AND attname = 'document'`,
    );
    if (rows[0]?.attstorage === 'm') return 'unchanged' as const;
    // Only the documents: PostgreSQL then moves the text vectors out of
    // the row instead, and keeping those in it too made the rows three
    // times as large and queries of common words slower at p95
    // (bench/README.md, "Search").
    await tx.raw(
      'ALTER TABLE documents ALTER COLUMN document SET STORAGE MAIN',
    );
    return 'changed' as const;
  });
  if (changed !== 'changed') return { status: changed };
  return knex.transaction(async tx => {
    await tx.raw('LOCK TABLE documents IN SHARE ROW EXCLUSIVE MODE');
    // A new value, not the stored pointer, so that PostgreSQL stores it
    // again by the column's new strategy; the content and hash are the same.
    const rewritten = await tx.raw<{ rowCount: number }>(
      `UPDATE documents SET document = document || '{}'::jsonb`,
    );
    return { status: 'applied' as const, rows: rewritten.rowCount ?? 0 };
  });
}
