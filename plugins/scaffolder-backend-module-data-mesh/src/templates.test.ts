import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { validateDataProduct } from '@quanta/plugin-data-mesh-common';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse, parseAllDocuments } from 'yaml';
import { scaffolderModuleDataMesh } from './module';
import odcsSchema from './schemas/odcs-v3.0.x.schema.json';

jest.setTimeout(120_000);

const repoRoot = path.resolve(__dirname, '../../..');
const templatesDir = path.join(repoRoot, 'templates/data-product');

function readDemoMesh(): Entity[] {
  const index = path.join(repoRoot, 'examples/all.yaml');
  const location = parse(fs.readFileSync(index, 'utf8'));
  return (location.spec.targets as string[]).flatMap(target =>
    parseAllDocuments(
      fs.readFileSync(path.resolve(path.dirname(index), target), 'utf8'),
    )
      .map(doc => doc.toJS())
      .filter(Boolean),
  );
}

/** Every file under a folder, as the dry-run API takes them. */
function directoryContents(root: string, prefix: string) {
  const files: Array<{ path: string; base64Content: string }> = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        files.push({
          path: `${prefix}/${path
            .relative(root, full)
            .split(path.sep)
            .join('/')}`,
          base64Content: fs.readFileSync(full).toString('base64'),
        });
      }
    }
  };
  walk(root);
  return files;
}

// Text a user may type that looks like template syntax: it must reach the
// files as typed, never evaluated.
const TRICKY =
  'Orders as placed. ${{ parameters.name }} {{ 7 * 7 }} {% raw %} {# note #}';

const common = {
  description: `Every store visit counted by the door sensors. ${TRICKY}`,
  domain: 'domain:default/sales',
  owner: 'group:default/sales-data',
  productOwner: 'user:default/maria.silva',
  lifecycle: 'experimental',
  slos: {
    freshness: 'PT1H',
    intervalOfChange: 'PT15M',
    completeness: 99,
    availability: 99.5,
    timeliness: 'PT15M',
  },
  classification: 'confidential',
  containsPii: true,
  retention: 'P2Y',
  regulations: ['GDPR'],
};

const outputPort = (name: string, address: string) => ({
  name,
  description: `The ${name} port. {{ not a template }}`,
  type: 'table',
  format: 'iceberg',
  address,
  fields: [
    { name: 'visit_id', type: 'string', description: 'Visit id' },
    {
      name: 'visitor_email',
      type: 'string',
      description: 'E-mail ${{ secrets.x }}',
      pii: true,
    },
    { name: 'visited_at', type: 'timestamp' },
  ],
});

const cases = [
  {
    file: 'source-aligned.yaml',
    values: {
      ...common,
      name: 'store-visits',
      title: 'Store visits',
      sources: [
        { source: 'component:default/orders-service', description: 'Visits' },
      ],
      outputPorts: [
        outputPort('visits-table', 'iceberg://lake/sales/store_visits'),
      ],
    },
    models: [
      'models/staging/stg_orders_service.sql',
      'models/visits_table.sql',
    ],
  },
  {
    file: 'aggregate.yaml',
    values: {
      ...common,
      name: 'visit-conversion',
      upstreams: [
        {
          dataProduct: 'dataproduct:default/orders',
          outputPort: 'orders-table',
        },
      ],
      outputPorts: [
        outputPort('conversion-table', 'iceberg://lake/sales/visit_conversion'),
        {
          ...outputPort(
            'conversion-stream',
            'kafka://prod/sales.conversion.v1',
          ),
          type: 'topic',
          format: 'avro',
        },
      ],
    },
    models: ['models/conversion_table.sql', 'models/conversion_stream.sql'],
  },
  {
    file: 'consumer-aligned.yaml',
    values: {
      ...common,
      name: 'store-staffing-feed',
      upstreams: [
        {
          dataProduct: 'dataproduct:default/orders',
          outputPort: 'orders-table',
        },
        {
          dataProduct: 'dataproduct:default/customer-360',
          outputPort: 'customer-360-table',
        },
      ],
      outputPorts: [
        outputPort('staffing-feed', 'iceberg://lake/sales/store_staffing_feed'),
      ],
    },
    models: ['models/staffing_feed.sql'],
  },
];

describe('data product templates through the scaffolder (dry run)', () => {
  let baseUrl: string;
  let publishDir: string;
  const validateContract = new Ajv({ allErrors: true, strict: false });
  addFormats(validateContract);
  const checkContract = validateContract.compile(odcsSchema);

  beforeAll(async () => {
    publishDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-repos-'));
    const appConfig = parse(
      fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
    );
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleDataMesh,
        catalogServiceMock.factory({ entities: readDemoMesh() }),
        mockServices.rootConfig.factory({
          data: {
            dataMesh: {
              ...appConfig.dataMesh,
              scaffolder: { localPublish: { directory: publishDir } },
            },
          },
        }),
      ],
    });
    baseUrl = `http://localhost:${server.port()}/api/scaffolder`;
  });

  afterAll(() => fs.rmSync(publishDir, { recursive: true, force: true }));

  async function dryRun(file: string, values: object) {
    const template = parse(
      fs.readFileSync(path.join(templatesDir, file), 'utf8'),
    );
    const res = await fetch(`${baseUrl}/v2/dry-run`, {
      method: 'POST',
      headers: {
        Authorization: mockCredentials.user.header(),
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        template,
        values,
        directoryContents: directoryContents(
          path.join(templatesDir, 'skeleton'),
          'skeleton',
        ),
      }),
    });
    return { status: res.status, body: await res.json() };
  }

  it.each(cases)('$file produces a valid repository', async testCase => {
    const { status, body } = await dryRun(testCase.file, testCase.values);
    if (status !== 200) throw new Error(JSON.stringify(body, null, 2));
    const files = new Map<string, string>(
      body.directoryContents.map((f: any) => [
        f.path,
        Buffer.from(f.base64Content, 'base64').toString('utf8'),
      ]),
    );
    const read = (name: string) => {
      const content = files.get(name);
      if (content === undefined) {
        throw new Error(`${name} missing; got ${[...files.keys()].join(', ')}`);
      }
      return content;
    };
    const name = testCase.values.name;

    const entity = parse(read('catalog-info.yaml'));
    expect(validateDataProduct(entity)).toEqual([]);
    expect(entity.metadata.name).toBe(name);
    expect(entity.metadata.description).toContain(TRICKY);
    expect(entity.metadata.annotations).toMatchObject({
      'backstage.io/source-template': `template:default/${
        parse(fs.readFileSync(path.join(templatesDir, testCase.file), 'utf8'))
          .metadata.name
      }`,
      'quanta.dev/template-version': '1.0.0',
      'backstage.io/techdocs-ref': 'dir:.',
    });

    for (const port of entity.spec.outputPorts) {
      const contract = parse(read(port.contract.location.replace('./', '')));
      expect(checkContract(contract)).toBe(true);
      expect(checkContract.errors ?? []).toEqual([]);
      expect(contract.id).toBe(`dataproduct://default/${name}/${port.name}`);
      expect(contract.schema[0].properties.map((p: any) => p.name)).toEqual(
        port.schema.map((f: any) => f.name),
      );
      expect(JSON.stringify(contract)).toContain('E-mail ${{ secrets.x }}');
    }

    const codeowners = read('CODEOWNERS');
    expect(codeowners).toContain('* @sales-data');
    expect(codeowners).toContain('group:default/sales-data');

    expect(read('README.md')).toContain(TRICKY);
    expect(read('docs/index.md')).toContain(TRICKY);
    expect(parse(read('mkdocs.yml')).site_name).toBe(
      (testCase.values as any).title ?? name,
    );
    expect(parse(read('dbt_project.yml')).name).toBe(name.replace(/-/g, '_'));
    for (const model of testCase.models) {
      expect([...files.keys()].some(f => f.startsWith(model))).toBe(true);
    }
    const checks = parse(read('quality/checks.yaml'));
    expect(checks.product).toBe(`dataproduct:default/${name}`);
    expect(checks.checks.map((c: any) => c.slo)).toEqual(
      expect.arrayContaining([
        'freshness',
        'intervalOfChange',
        'completeness',
        'availability',
        'timeliness',
      ]),
    );
    // GitHub expressions in the workflow are copied, not rendered.
    expect(read('.github/workflows/data-product.yml')).toContain(
      '${{ secrets.QUANTA_QUALITY_TOKEN }}',
    );
    expect(read('quality/run_checks.py')).toContain(
      '/api/data-mesh/quality/results',
    );
    expect(files.has('.quanta/schemas/data-product.schema.json')).toBe(true);
    expect(files.has('.quanta/schemas/odcs-v3.0.x.schema.json')).toBe(true);

    // A dry run publishes nothing.
    expect(fs.readdirSync(publishDir)).toEqual([]);
    expect(body.output.links[0].entityRef).toBeUndefined();
  });

  it('stops before anything is created when governance fails', async () => {
    const { status, body } = await dryRun('aggregate.yaml', {
      ...cases[1].values,
      name: 'broken-conversion',
      owner: 'group:default/no-such-team',
      classification: 'public',
    });
    expect(status).toBe(400);
    const message: string = body.error.message;
    expect(message).toContain('The data product was not created');
    expect(message).toContain('[quanta.owner-exists]');
    expect(message).toContain('group:default/no-such-team');
    expect(message).toContain('[quanta.pii-not-public]');
    expect(fs.readdirSync(publishDir)).toEqual([]);
  });

  it('reports a finance product without SOX, a rule from app-config', async () => {
    const { status, body } = await dryRun('consumer-aligned.yaml', {
      ...cases[2].values,
      name: 'finance-staffing',
      domain: 'domain:default/finance',
      owner: 'group:default/finance-data',
      productOwner: 'user:default/isabella.garcia',
      outputPorts: [
        outputPort('staffing-costs', 'iceberg://lake/finance/staffing_costs'),
      ],
    });
    expect(status).toBe(400);
    expect(body.error.message).toContain('[finance.sox-regulated]');
  });
});
