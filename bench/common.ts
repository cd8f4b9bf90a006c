/*
 * What every benchmark script shares: arguments, percentiles, the machine
 * line printed with each figure, and running a measurement on a SQLite file
 * and on a throwaway PostgreSQL database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import {
  checkDescriptorLimits,
  formatByteSize,
} from '@quanta/plugin-data-mesh-common';

/**
 * An option such as `--products 2000`, or `fallback` without it: a whole
 * number of at least 1 unless `options` say otherwise (`{ min: 0, whole:
 * false }` for `--think-seconds 2.5`).
 */
export function argument(
  name: string,
  fallback: number,
  options: { min?: number; whole?: boolean } = {},
): number {
  const { min = 1, whole = true } = options;
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (
    !Number.isFinite(value) ||
    value < min ||
    (whole && !Number.isInteger(value))
  ) {
    throw new Error(
      `--${name} takes a ${
        whole ? 'whole ' : ''
      }number of at least ${min}, such as --${name} ${fallback || 5}; got ${
        process.argv[index + 1] ?? 'nothing'
      }`,
    );
  }
  return value;
}

export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

/** Beyond this, a descriptor's size as JSON is only said to be larger. */
const COUNTED_SIZE = 256 * 1024 * 1024;

/**
 * What a descriptor is as JSON, aliases expanded (`512.0 KiB`, `> 256 MiB`),
 * counted by the walk that stops at a limit, so an alias bomb or a cycle
 * costs no more than 256 MiB of reading.
 */
export function jsonSize(entity: unknown): string {
  const over = checkDescriptorLimits(entity, {
    maxSize: COUNTED_SIZE,
    maxDepth: Number.MAX_SAFE_INTEGER,
  });
  if (over) return `> ${formatByteSize(COUNTED_SIZE)}`;
  try {
    return formatByteSize(Buffer.byteLength(JSON.stringify(entity) ?? ''));
  } catch {
    return 'too deep to write';
  }
}

/** `  machine: 2 x AMD EPYC, 24 GiB, Node 22.23.3, linux x64` */
export function machineLine(): string {
  const cpus = os.cpus();
  return `  machine: ${cpus.length} x ${cpus[0]?.model.trim()}, ${Math.round(
    os.totalmem() / 2 ** 30,
  )} GiB, Node ${process.versions.node}, ${os.platform()} ${os.arch()}`;
}

/**
 * Runs `measure` on a fresh SQLite file, then on a fresh PostgreSQL database
 * when BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING is set; both are
 * removed afterwards.
 */
export async function onEachDatabase(
  name: string,
  measure: (label: string, knex: Knex) => Promise<void>,
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `quanta-${name}-`));
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'data-mesh.sqlite') },
    useNullAsDefault: true,
  });
  try {
    await measure('SQLite file', sqlite);
  } finally {
    await sqlite.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const pgUrl =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING;
  if (!pgUrl) {
    console.log(
      '  PostgreSQL: skipped (set BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING)',
    );
    return;
  }
  const database = `quanta_${name}_bench_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: pgUrl });
  await admin.raw(`CREATE DATABASE ${database}`);
  // node-postgres ignores a `database` option next to a connection string.
  const url = new URL(pgUrl);
  url.pathname = `/${database}`;
  const pg = knexFactory({ client: 'pg', connection: url.toString() });
  try {
    await measure('PostgreSQL', pg);
  } finally {
    await pg.destroy();
    await admin.raw(`DROP DATABASE ${database}`);
    await admin.destroy();
  }
}
