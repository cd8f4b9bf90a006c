import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  type BackstageCredentials,
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  type ContractImpactResponse,
  validateDataProduct,
} from '@quanta/plugin-data-mesh-common';
import { parse } from 'yaml';
import { officialOdcsErrors, odcsSuite } from './__testUtils__/odcs';
import {
  type DryRunResult,
  TRICKY,
  cases,
  outputPort,
  picked,
  startTemplateScaffolder,
  templatesDir,
} from './__testUtils__/templates';
import { scaffolderModuleDataMesh } from './module';

jest.setTimeout(120_000);

/** What each dry run wrote as contracts, checked below against the official schema. */
const generatedContracts: Array<{ file: string; contract: object }> = [];

describe('data product templates through the scaffolder (dry run)', () => {
  let publishDir: string;
  let dryRun: (file: string, values: object) => Promise<DryRunResult>;

  beforeAll(async () => {
    publishDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-repos-'));
    dryRun = await startTemplateScaffolder(publishDir);
  });

  afterAll(() => fs.rmSync(publishDir, { recursive: true, force: true }));

  it.each(cases)('$file produces a valid repository', async testCase => {
    const { status, body, files } = await dryRun(
      testCase.file,
      testCase.values,
    );
    if (status !== 200) throw new Error(JSON.stringify(body, null, 2));
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
      'quanta.dev/template-version': '1.1.0',
      'backstage.io/techdocs-ref': 'dir:.',
    });

    // The pickers store { title, ref }; the descriptor keeps only references.
    expect(entity.spec).toMatchObject({
      owner: 'group:default/sales-data',
      productOwner: 'user:default/maria.silva',
      domain: 'domain:default/sales',
    });
    expect(
      entity.spec.inputPorts.map((p: any) => p.source ?? p.dataProduct),
    ).toEqual(
      (
        (testCase.values as any).sources ?? (testCase.values as any).upstreams
      ).map((u: any) => (u.source ?? u.dataProduct).ref),
    );
    expect(JSON.stringify(entity)).not.toMatch(/"title":"(Sales|Orders)/);

    for (const port of entity.spec.outputPorts) {
      const contract = parse(read(port.contract.location.replace('./', '')));
      expect(contract.apiVersion).toBe('v3.1.0');
      generatedContracts.push({ file: testCase.file, contract });
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
    expect(read('.quanta/check_contracts.py')).toContain(
      'bitol-io/open-data-contract-standard',
    );

    // A dry run publishes nothing.
    expect(fs.readdirSync(publishDir)).toEqual([]);
    expect(body.output.links[0].entityRef).toBeUndefined();
  });

  it('stops before anything is created when governance fails', async () => {
    const { status, body } = await dryRun('aggregate.yaml', {
      ...cases[1].values,
      name: 'broken-conversion',
      owner: picked('group:default/no-such-team', 'No Such Team'),
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
      domain: picked('domain:default/finance', 'Finance'),
      owner: picked('group:default/finance-data', 'Finance Data'),
      productOwner: picked('user:default/isabella.garcia', 'Isabella Garcia'),
      outputPorts: [
        outputPort('staffing-costs', 'iceberg://lake/finance/staffing_costs'),
      ],
    });
    expect(status).toBe(400);
    expect(body.error.message).toContain('[finance.sox-regulated]');
  });
});

/** A data-mesh backend that answers the impact route with `answer`. */
function standInDataMesh(
  answer: ContractImpactResponse,
  received: Array<{ body: any; credentials: BackstageCredentials }>,
) {
  return createBackendPlugin({
    pluginId: 'data-mesh',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          httpRouter.use(
            async (
              req: IncomingMessage,
              res: ServerResponse,
              next: () => void,
            ) => {
              if (req.method !== 'POST' || req.url !== '/contracts/impact') {
                next();
                return;
              }
              const credentials = await httpAuth.credentials(req as any);
              let text = '';
              for await (const chunk of req) text += chunk;
              received.push({ body: JSON.parse(text), credentials });
              res.setHeader('Content-Type', 'application/json');
              res.end(JSON.stringify(answer));
            },
          );
        },
      });
    },
  });
}

describe('check-contract-change.yaml through the scaffolder (dry run)', () => {
  const answer: ContractImpactResponse = {
    entityRef: 'dataproduct:default/orders',
    port: 'orders-table',
    current: { version: '1.2.0', digest: 'sha256:aaa' },
    proposed: { version: '2.0.0', apiVersion: 'v3.1.0', problems: [] },
    changes: [
      {
        rule: 'field-removed',
        level: 'breaking',
        path: 'schema.orders.properties.customer_id',
        object: 'orders',
        field: 'customer_id',
        message: 'Removed field customer_id from orders',
      },
    ],
    requiredVersionBump: 'major',
    consumers: [
      {
        entityRef: 'dataproduct:default/customer-360',
        title: 'Customer 360',
        owner: { ref: 'group:default/crm-data', title: 'CRM Data' },
        via: ['declared'],
        fields: ['customer_id'],
        affectedBy: ['Removed field customer_id from orders'],
      },
    ],
    summary: {
      breaking: 1,
      warning: 0,
      compatible: 0,
      consumers: 1,
      affectedConsumers: 1,
    },
  };
  // Typed by a user: it reaches the backend as typed, never templated.
  const contract = `apiVersion: v3.1.0
kind: DataContract
version: 2.0.0
description:
  purpose: ${TRICKY}
`;

  it('reports the impact and links to the Contract tab without failing on a breaking change', async () => {
    const received: Array<{ body: any; credentials: BackstageCredentials }> =
      [];
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleDataMesh,
        standInDataMesh(answer, received),
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    const file = 'check-contract-change.yaml';
    const res = await fetch(
      `http://localhost:${server.port()}/api/scaffolder/v2/dry-run`,
      {
        method: 'POST',
        headers: {
          Authorization: mockCredentials.user.header(),
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          template: parse(
            fs.readFileSync(path.join(templatesDir, file), 'utf8'),
          ),
          values: {
            product: picked('dataproduct:default/orders', 'Orders'),
            port: 'orders-table',
            contract,
          },
          directoryContents: [],
        }),
      },
    );
    const body = await res.json();
    if (res.status !== 200) throw new Error(JSON.stringify(body, null, 2));

    // The backend was asked as the person running the template.
    expect(received).toEqual([
      {
        body: {
          entityRef: 'dataproduct:default/orders',
          port: 'orders-table',
          contract,
        },
        credentials: expect.objectContaining({
          principal: {
            type: 'user',
            userEntityRef: mockCredentials.user().principal.userEntityRef,
          },
        }),
      },
    ]);
    expect(body.output.links).toEqual([
      {
        title: 'Open the Contract tab',
        icon: 'catalog',
        url: '/catalog/default/dataproduct/orders/contract?port=orders-table',
      },
    ]);
    expect(body.output.text).toHaveLength(1);
    const report: string = body.output.text[0].content;
    expect(report).toContain(
      '**1 change (1 breaking), which needs a new major version; 1 consumer, 1 affected.**',
    );
    expect(report).toContain(
      '| Customer 360 (`dataproduct:default/customer-360`) | CRM Data | declared | customer\\_id | **Removed field customer\\_id from orders** |',
    );
    expect(JSON.stringify(body.log)).toContain(
      'Consumer Customer 360 (dataproduct:default/customer-360, owner CRM Data), declared, reads customer_id: affected by Removed field customer_id from orders',
    );
  });
});

odcsSuite.describe(
  odcsSuite.title(
    'the contracts the templates wrote, under the official ODCS schema',
  ),
  () => {
    it('are valid ODCS v3.1.0, every one', () => {
      // One per output port of every template's dry run above.
      expect(generatedContracts.length).toBeGreaterThanOrEqual(cases.length);
      for (const { file, contract } of generatedContracts) {
        expect({ file, errors: officialOdcsErrors(contract) }).toEqual({
          file,
          errors: [],
        });
      }
    });
  },
);
