/*
 * Contracts benchmark: reading and checking every output port contract of a
 * large mesh, as the scheduled refresh of the data-mesh backend does it.
 *
 *   yarn workspace @quanta/bench contracts                      # 10,000 products
 *   yarn workspace @quanta/bench contracts --products 1000 --ports 2
 *
 * A mesh of `--products` DataProducts with `--ports` output ports each
 * (default 3) is written to a temporary folder as the catalog would hold it:
 * one descriptor location per product and, next to it, one ODCS v3.1.0
 * contract per port (`--fields` properties each, default 20, with quality
 * rules and SLA properties). ContractService.refresh then reads every
 * contract through ContractReader (resolving the relative location,
 * bounded read, YAML, sha256, the structural check and, when
 * ../shared/standards/odcs is beside the repository, the official ODCS
 * JSON schema) and records it in ContractStore, on a SQLite file and, when
 * BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING is set, PostgreSQL.
 * A second refresh reads the same files again (no new version); a third
 * follows a change to every tenth contract (a field removed), and the
 * history of one product is served with its changes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Entity } from '@backstage/catalog-model';
import { stringify } from 'yaml';
import { ContractReader } from '../plugins/data-mesh-backend/src/contracts/ContractReader';
import { ContractService } from '../plugins/data-mesh-backend/src/contracts/ContractService';
import { ContractStore } from '../plugins/data-mesh-backend/src/contracts/ContractStore';
import { OfficialOdcsSchemas } from '../plugins/data-mesh-backend/src/contracts/OfficialOdcsSchemas';
import { argument, machineLine, onEachDatabase } from './common';

const PRODUCTS = argument('products', 10_000);
const PORTS = argument('ports', 3);
const FIELDS = argument('fields', 20);

const SHARED_ODCS = path.resolve(__dirname, '../../shared/standards/odcs');

const TYPES = ['string', 'integer', 'number', 'date', 'timestamp', 'boolean'];

function contract(
  product: string,
  port: number,
  fields: number,
  version: string,
) {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: `${product}-${port}`,
    name: `${product} port ${port}`,
    version,
    status: 'active',
    description: {
      purpose: `Port ${port} of ${product}, for the benchmark.`,
      usage: 'Read it as a table.',
    },
    schema: [
      {
        name: `${product.replace(/-/g, '_')}_${port}`,
        logicalType: 'object',
        physicalType: 'table',
        description: 'One row per thing.',
        properties: Array.from({ length: fields }, (_, i) => ({
          name: `field_${i}`,
          logicalType: TYPES[i % TYPES.length],
          physicalType: 'varchar(64)',
          required: i === 0,
          primaryKey: i === 0,
          primaryKeyPosition: i === 0 ? 1 : -1,
          description: `Field ${i} of the table, which says what it holds.`,
          classification: i % 5 === 0 ? 'restricted' : 'internal',
          ...(i % 4 === 0
            ? {
                quality: [
                  {
                    metric: 'nullValues',
                    mustBe: 0,
                    dimension: 'completeness',
                    type: 'library',
                  },
                ],
              }
            : {}),
        })),
      },
    ],
    slaProperties: [
      { property: 'latency', value: 1, unit: 'd' },
      { property: 'availability', value: 99.5, unit: 'percent' },
      { property: 'retention', value: 3, unit: 'y' },
    ],
  };
}

/** Writes the mesh's contracts and returns its entities. */
function writeMesh(dir: string): Entity[] {
  fs.mkdirSync(path.join(dir, 'products'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'contracts'), { recursive: true });
  const entities: Entity[] = [];
  for (let p = 0; p < PRODUCTS; p += 1) {
    const name = `product-${p}`;
    const outputPorts = [];
    for (let port = 0; port < PORTS; port += 1) {
      const file = `${name}-${port}.odcs.yaml`;
      fs.writeFileSync(
        path.join(dir, 'contracts', file),
        stringify(contract(name, port, FIELDS, '1.0.0')),
      );
      outputPorts.push({
        name: `port-${port}`,
        type: 'table',
        format: 'iceberg',
        address: `iceberg://lake/${name}/${port}`,
        contract: { location: `../contracts/${file}`, version: '1.0.0' },
      });
    }
    entities.push({
      apiVersion: 'quanta.dev/v1alpha1',
      kind: 'DataProduct',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': `file:${path.join(
            dir,
            'products',
            `${name}.yaml`,
          )}`,
        },
      },
      spec: { outputPorts },
    });
  }
  return entities;
}

/** A catalog that pages through `entities` as the catalog service does. */
function catalogOf(entities: Entity[]) {
  return {
    auth: { getOwnServiceCredentials: async () => ({}) } as any,
    catalog: {
      async queryEntities(request: any) {
        const offset = request.cursor ? Number(request.cursor) : 0;
        const limit = request.limit ?? 200;
        const items = entities.slice(offset, offset + limit);
        const next = offset + limit;
        return {
          items,
          totalItems: entities.length,
          pageInfo: next < entities.length ? { nextCursor: String(next) } : {},
        };
      },
    } as any,
  };
}

const silent = {
  info() {},
  warn() {},
  debug() {},
  error() {},
  child() {
    return silent;
  },
} as any;

/** The official schemas, read from ../shared as the URL reader would read them. */
function officialSchemas() {
  if (!fs.existsSync(SHARED_ODCS)) return undefined;
  return new OfficialOdcsSchemas({
    urlTemplate: 'shared:odcs-json-schema-{version}.json',
    logger: silent,
    urlReader: {
      async readUrl(url: string) {
        const buffer = fs.readFileSync(
          path.join(SHARED_ODCS, url.slice('shared:'.length)),
        );
        return { buffer: async () => buffer } as any;
      },
    } as any,
  });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-contracts-'));
  try {
    const started = performance.now();
    const entities = writeMesh(dir);
    const bytes = fs
      .readdirSync(path.join(dir, 'contracts'))
      .reduce(
        (sum, file) =>
          sum + fs.statSync(path.join(dir, 'contracts', file)).size,
        0,
      );
    const schemas = officialSchemas();
    console.log('Contracts: read, check and record every output port contract');
    console.log(machineLine());
    console.log(
      `  mesh: ${PRODUCTS} products x ${PORTS} ports = ${
        PRODUCTS * PORTS
      } contracts of ${FIELDS} properties, ${(bytes / 2 ** 20).toFixed(
        1,
      )} MiB (written in ${((performance.now() - started) / 1000).toFixed(
        1,
      )} s); official schema check: ${
        schemas
          ? 'on (schemas from ../shared)'
          : `off (${SHARED_ODCS} is missing)`
      }`,
    );
    console.log(
      `  load average: ${os
        .loadavg()
        .map(l => l.toFixed(1))
        .join(' ')}`,
    );

    /** Every tenth product's first contract, at version 1.0.0 or changed. */
    const setTenth = (changed: boolean) => {
      for (let p = 0; p < PRODUCTS; p += 10) {
        const name = `product-${p}`;
        fs.writeFileSync(
          path.join(dir, 'contracts', `${name}-0.odcs.yaml`),
          stringify(
            changed
              ? contract(name, 0, FIELDS - 1, '2.0.0')
              : contract(name, 0, FIELDS, '1.0.0'),
          ),
        );
      }
    };

    await onEachDatabase('contracts', async (label, knex) => {
      // Each database starts from the mesh as written.
      setTenth(false);
      await knex.migrate.latest({
        directory: path.resolve(
          __dirname,
          '../plugins/data-mesh-backend/migrations',
        ),
      });
      const service = new ContractService({
        reader: new ContractReader({
          urlReader: {} as any,
          maxSize: 1024 * 1024,
          schemas,
        }),
        store: new ContractStore(knex),
        source: catalogOf(entities),
        logger: silent,
      });
      const timed = async (what: string, fn: () => Promise<unknown>) => {
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        await fn();
        const ms = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        console.log(
          `  ${label}, ${what}: ${(ms / 1000).toFixed(1)} s (${Math.round(
            (PRODUCTS * PORTS) / (ms / 1000),
          )} contracts/s; CPU of this process ${(
            (cpu.user + cpu.system) /
            1e6
          ).toFixed(1)} s)`,
        );
      };
      await timed('first refresh (every contract new)', () =>
        service.refresh(),
      );
      await timed('second refresh (nothing changed)', () => service.refresh());
      setTenth(true);
      await timed('third refresh (every tenth product changed)', () =>
        service.refresh(),
      );
      const t0 = performance.now();
      const view = await service.view(entities[0]);
      console.log(
        `  ${label}, one product's contracts with history and changes: ${(
          performance.now() - t0
        ).toFixed(0)} ms (${view[0].versions.length} versions of port-0, ${
          view[0].versions[0]?.changes.length ?? 0
        } changes, bump ${view[0].versions[0]?.requiredVersionBump})`,
      );
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
