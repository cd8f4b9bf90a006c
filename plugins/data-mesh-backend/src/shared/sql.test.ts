import { storeTestDatabases } from './__testUtils__/testDatabases';
import {
  BulkInsert,
  chunks,
  countStatements,
  isPostgres,
  withoutNul,
} from './sql';

jest.setTimeout(60_000);

describe('withoutNul', () => {
  it('removes NUL from every string, and returns what holds none as it was', () => {
    const clean = { a: 'x', list: ['y', { z: 1 }], at: new Date(0) };
    expect(withoutNul(clean)).toBe(clean);
    const dirty = {
      a: 'x\u0000y',
      list: ['ok', { z: 'a\u0000\u0000b' }],
      keep: clean,
    };
    const out = withoutNul(dirty);
    expect(out).toEqual({ a: 'xy', list: ['ok', { z: 'ab' }], keep: clean });
    expect(out.keep).toBe(clean);
    expect(dirty.a).toBe('x\u0000y');
  });
});

describe('chunks', () => {
  it('slices in order, the last slice shorter', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 2)).toEqual([]);
    expect(chunks(Array.from({ length: 1001 }, (_, i) => i)).length).toBe(3);
  });
});

const { databases, createStore } = storeTestDatabases(async ({ database }) => {
  const knex = await database.getClient();
  await knex.schema.createTable('bulk_rows', table => {
    table.string('key').primary();
    table.integer('n').notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.text('note').nullable();
  });
  return new BulkInsert(knex);
});

const at = new Date('2026-06-01T10:00:00Z');
const rowsOf = (count: number, n: (i: number) => number) =>
  Array.from({ length: count }, (_, i) => ({
    key: `k${String(i).padStart(5, '0')}`,
    n: n(i),
    at,
    note: i % 3 ? `note ${i}` : null,
  }));

describe.each(databases.eachSupportedId())('BulkInsert on %s', databaseId => {
  it('inserts many rows in as few statements as the engine allows', async () => {
    const { knex, store: bulk } = await createStore(databaseId);
    const rows = rowsOf(1234, i => i);
    // The first insert reads the column types (PostgreSQL) once.
    await knex.transaction(tx =>
      bulk.insert(tx, 'bulk_rows', rows.slice(0, 1)),
    );
    const { statements: empty } = await countStatements(knex, () =>
      knex.transaction(async () => {}),
    );
    const { statements } = await countStatements(knex, () =>
      knex.transaction(tx => bulk.insert(tx, 'bulk_rows', rows.slice(1))),
    );
    // One array per column on PostgreSQL; chunks of 500 on SQLite.
    expect(statements - empty).toBe(isPostgres(knex) ? 1 : 3);

    const stored = await knex('bulk_rows').orderBy('key');
    expect(stored).toHaveLength(1234);
    expect(
      stored
        .slice(0, 3)
        .map(r => [r.key, r.n, new Date(r.at).getTime(), r.note]),
    ).toEqual([
      ['k00000', 0, at.getTime(), null],
      ['k00001', 1, at.getTime(), 'note 1'],
      ['k00002', 2, at.getTime(), 'note 2'],
    ]);
  });

  it('upserts: on conflict only the merged columns change', async () => {
    const { knex, store: bulk } = await createStore(databaseId);
    await knex.transaction(tx =>
      bulk.insert(
        tx,
        'bulk_rows',
        rowsOf(3, () => 1),
      ),
    );
    const later = new Date('2026-06-02T10:00:00Z');
    await knex.transaction(tx =>
      bulk.insert(
        tx,
        'bulk_rows',
        rowsOf(4, () => 2).map(row => ({ ...row, at: later, note: 'new' })),
        { conflict: ['key'], merge: ['n', 'note'] },
      ),
    );
    const stored = await knex('bulk_rows').orderBy('key');
    expect(
      stored.map(r => [r.key, r.n, new Date(r.at).getTime(), r.note]),
    ).toEqual([
      ['k00000', 2, at.getTime(), 'new'],
      ['k00001', 2, at.getTime(), 'new'],
      ['k00002', 2, at.getTime(), 'new'],
      ['k00003', 2, later.getTime(), 'new'],
    ]);
  });

  it('inserts nothing for no rows, and names a column the table lacks', async () => {
    const { knex, store: bulk } = await createStore(databaseId);
    const { statements: empty } = await countStatements(knex, () =>
      knex.transaction(async () => {}),
    );
    const { statements } = await countStatements(knex, () =>
      knex.transaction(tx => bulk.insert(tx, 'bulk_rows', [])),
    );
    expect(statements).toBe(empty);
    const insert = knex.transaction(tx =>
      bulk.insert(tx, 'bulk_rows', [{ ...rowsOf(1, () => 1)[0], extra: 1 }]),
    );
    // On PostgreSQL every column is cast to its type, so a missing one is
    // named before any row is sent; SQLite names it in its own error, whose
    // class jest does not always take for an Error (hence no toThrow).
    await expect(insert).rejects.toMatchObject({
      message: expect.stringMatching(
        isPostgres(knex) ? /^bulk_rows has no column extra$/ : /extra/,
      ),
    });
  });
});
