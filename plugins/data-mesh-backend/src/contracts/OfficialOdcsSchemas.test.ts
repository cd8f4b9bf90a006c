import fs from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { parse } from 'yaml';
import { ContractReader } from './ContractReader';
import {
  OFFICIAL_ODCS_SCHEMA_URL,
  OfficialOdcsSchemas,
  officialSchemaVersion,
} from './OfficialOdcsSchemas';

/*
 * The official ODCS schemas and examples, from ../shared beside the
 * repository (never copied here), served to the checker as its URL reader
 * would serve the Bitol repository's files.
 */
const ODCS = path.resolve(__dirname, '../../../../../shared/standards/odcs');
const present = fs.existsSync(ODCS);
if (!present && process.env.QUANTA_REQUIRE_SHARED === '1') {
  throw new Error(
    `${ODCS} is missing: the official-schema tests read the ODCS schemas there`,
  );
}
const suite = present ? describe : describe.skip;
const skipped = present ? '' : ` (skipped: ${ODCS} is missing)`;

const EXAMPLES = path.resolve(__dirname, '../../../../examples');

/** A URL reader that serves the official schemas from ../shared, counting reads. */
function officialReader() {
  const reads: string[] = [];
  const reader: UrlReaderService = {
    async readUrl(url: string) {
      reads.push(url);
      const file = url.slice(url.lastIndexOf('/') + 1);
      const target = path.join(ODCS, file);
      if (!fs.existsSync(target)) {
        const error = new Error(`${url} not found`);
        error.name = 'NotFoundError';
        throw error;
      }
      const buffer = fs.readFileSync(target);
      return { buffer: async () => buffer, etag: undefined } as any;
    },
    readTree: async () => {
      throw new Error('not used');
    },
    search: async () => {
      throw new Error('not used');
    },
  };
  return { reader, reads };
}

const example = (file: string) =>
  parse(fs.readFileSync(path.join(ODCS, 'examples', file), 'utf8'));

function checker(reader: UrlReaderService, now?: () => number) {
  return new OfficialOdcsSchemas({
    urlReader: reader,
    urlTemplate: OFFICIAL_ODCS_SCHEMA_URL,
    logger: mockServices.logger.mock(),
    now,
  });
}

suite(`the official ODCS schema check${skipped}`, () => {
  it('checks a v3.0.x contract with the v3.0.2 schema and others with their own', () => {
    expect(officialSchemaVersion('v3.0.0')).toBe('v3.0.2');
    expect(officialSchemaVersion('v3.0.2')).toBe('v3.0.2');
    expect(officialSchemaVersion('v3.1.0')).toBe('v3.1.0');
  });

  it('passes the official examples, the three written in the v3.1.0 form under apiVersion v3.0.2 with a warning, reading each schema once', async () => {
    const { reader, reads } = officialReader();
    const schemas = checker(reader);
    const files = fs
      .readdirSync(path.join(ODCS, 'examples'))
      .filter(f => f.endsWith('.yaml'));
    const warned: string[] = [];
    for (const file of files) {
      const check = await schemas.check(example(file));
      expect({ file, status: check.status }).toEqual({
        file,
        status: 'passed',
      });
      if (check.status === 'passed' && check.warning) warned.push(file);
    }
    // They say v3.0.2 but use what only v3.1.0 defines: timestamp and time
    // types, a quality rule's `metric` (v3.0.2 calls it `rule`), `team` as
    // an object (a list in v3.0.2). The v3.1.0 schema accepts v3.0.x.
    expect(warned.sort()).toEqual([
      'data-types--all-data-types.odcs.yaml',
      'quality--column-completeness.odcs.yaml',
      'stakeholders--basic-four-dpo.odcs.yaml',
    ]);
    expect(
      await schemas.check(example('stakeholders--basic-four-dpo.odcs.yaml')),
    ).toEqual({
      status: 'passed',
      schema: 'v3.1.0',
      warning:
        'Valid under the official ODCS v3.1.0 schema, which accepts v3.0.2 contracts, but not under v3.0.2: /team: must be array; raise apiVersion to v3.1.0 to clear this',
    });
    const types = await schemas.check(
      example('data-types--all-data-types.odcs.yaml'),
    );
    expect(OfficialOdcsSchemas.describe(types)).toContain(
      '/schema/0/properties/2/logicalType: must be equal to one of the allowed values: string, date, number, integer, object, array, boolean',
    );
    expect(
      reads.map(url => url.slice(url.lastIndexOf('/') + 1)).sort(),
    ).toEqual(['odcs-json-schema-v3.0.2.json', 'odcs-json-schema-v3.1.0.json']);
  });

  it('fails a v3.0.x contract that neither v3.0.2 nor v3.1.0 accepts, naming what v3.0.2 refuses', async () => {
    const { reader } = officialReader();
    const contract = example('schema--table-column.odcs.yaml');
    expect(contract.apiVersion).toMatch(/^v3\.0\./);
    contract.schema[0].properties[0].required = 'no';
    const check = await checker(reader).check(contract);
    expect(check).toMatchObject({ status: 'failed', schema: 'v3.0.2' });
    expect(OfficialOdcsSchemas.describe(check)).toContain(
      '/schema/0/properties/0/required: must be boolean',
    );
  });

  it('names the field, what it holds and what the standard allows', async () => {
    const { reader } = officialReader();
    const contract = example('all--full-example.odcs.yaml');
    contract.schema[0].properties[0].logicalType = 'text';
    contract.status = 42;
    const check = await checker(reader).check(contract);
    expect(check.status).toBe('failed');
    const message = OfficialOdcsSchemas.describe(check)!;
    expect(message).toMatch(
      /^Not valid under the official ODCS v3\.1\.0 schema: /,
    );
    expect(message).toContain(
      '/schema/0/properties/0/logicalType: must be equal to one of the allowed values: string, date, timestamp, time, number, integer, object, array, boolean',
    );
    expect(message).toContain('/status: must be string');
  });

  it('says why a contract is unchecked when the schema cannot be read, and asks again only after ten minutes', async () => {
    let now = 0;
    let reads = 0;
    const reader = {
      async readUrl(url: string) {
        reads += 1;
        throw new Error(`getaddrinfo ENOTFOUND github.com for ${url}`);
      },
    } as unknown as UrlReaderService;
    const schemas = checker(reader, () => now);
    const contract = example('all--full-example.odcs.yaml');
    const first = await schemas.check(contract);
    expect(first).toEqual({
      status: 'unchecked',
      schema: 'v3.1.0',
      message: expect.stringContaining(
        'Not checked against the official ODCS v3.1.0 schema: it could not be read from https://github.com/bitol-io/open-data-contract-standard/blob/main/schema/odcs-json-schema-v3.1.0.json (getaddrinfo ENOTFOUND',
      ),
    });
    expect(first.status === 'unchecked' && first.message).toContain(
      'dataMesh.contracts.officialSchemaUrl',
    );
    now += 9 * 60 * 1000;
    expect((await schemas.check(contract)).status).toBe('unchecked');
    expect(reads).toBe(1);
    now += 2 * 60 * 1000;
    await schemas.check(contract);
    expect(reads).toBe(2);
  });

  it("passes the demo mesh's own contracts, read as the backend reads them", async () => {
    const { reader } = officialReader();
    const contracts = new ContractReader({
      urlReader: reader,
      maxSize: 1024 * 1024,
      schemas: checker(reader),
    });
    const dir = path.join(EXAMPLES, 'contracts');
    const files = fs.readdirSync(dir).filter(f => f.endsWith('.odcs.yaml'));
    expect(files.length).toBeGreaterThan(0);
    const entity = {
      apiVersion: 'quanta.dev/v1alpha1',
      kind: 'DataProduct',
      metadata: {
        name: 'x',
        annotations: {
          'backstage.io/managed-by-location': `file:${path.join(
            EXAMPLES,
            'data-products',
            'customer.yaml',
          )}`,
        },
      },
    };
    for (const file of files) {
      const result = await contracts.read(entity, `../contracts/${file}`);
      expect({
        file,
        status: result.status,
        message: (result as any).message,
      }).toEqual({
        file,
        status: 'ok',
        message: undefined,
      });
      expect(result.status === 'ok' && result.schemaCheck?.status).toBe(
        'passed',
      );
    }
  });

  it('reads a contract that breaks the standard as invalid, with the reason', async () => {
    const { reader } = officialReader();
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'odcs-'));
    const contract = example('all--full-example.odcs.yaml');
    contract.schema[0].properties[1].primaryKey = 'yes';
    fs.writeFileSync(path.join(dir, 'c.yaml'), JSON.stringify(contract));
    const result = await new ContractReader({
      urlReader: reader,
      maxSize: 1024 * 1024,
      schemas: checker(reader),
    }).read(
      {
        apiVersion: 'quanta.dev/v1alpha1',
        kind: 'DataProduct',
        metadata: {
          name: 'x',
          annotations: {
            'backstage.io/managed-by-location': `file:${path.join(
              dir,
              'p.yaml',
            )}`,
          },
        },
      },
      './c.yaml',
    );
    expect(result).toMatchObject({
      status: 'invalid',
      message: expect.stringContaining(
        '/schema/0/properties/1/primaryKey: must be boolean',
      ),
    });
  });
});
