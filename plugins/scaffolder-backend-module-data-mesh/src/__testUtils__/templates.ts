import fs from 'node:fs';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { parse, parseAllDocuments } from 'yaml';
import { scaffolderModuleDataMesh } from '../module';

/**
 * Shared by the tests that run the data product templates through the real
 * scaffolder's dry run: the form values of each template and a backend that
 * runs them against the demo mesh.
 */

export const repoRoot = path.resolve(__dirname, '../../../..');
export const templatesDir = path.join(repoRoot, 'templates/data-product');

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
export const TRICKY =
  'Orders as placed. ${{ parameters.name }} {{ 7 * 7 }} {% raw %} {# note #}';

/**
 * An entity as the templates' pickers (the data mesh's EntityTitlePicker)
 * store it: the title for the review, the reference for the steps.
 */
export const picked = (ref: string, title: string) => ({ title, ref });

export const common = {
  description: `Every store visit counted by the door sensors. ${TRICKY}`,
  domain: picked('domain:default/sales', 'Sales'),
  owner: picked('group:default/sales-data', 'Sales Data'),
  productOwner: picked('user:default/maria.silva', 'Maria Silva'),
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

export const outputPort = (name: string, address: string) => ({
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

/** One valid run of each template, with the models it must produce. */
export const cases = [
  {
    file: 'source-aligned.yaml',
    values: {
      ...common,
      name: 'store-visits',
      title: 'Store visits',
      sources: [
        {
          source: picked('component:default/orders-service', 'Orders Service'),
          description: 'Visits',
        },
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
          dataProduct: picked('dataproduct:default/orders', 'Orders'),
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
          dataProduct: picked('dataproduct:default/orders', 'Orders'),
          outputPort: 'orders-table',
        },
        {
          dataProduct: picked(
            'dataproduct:default/customer-360',
            'Customer 360',
          ),
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

export type DryRunResult = {
  status: number;
  body: any;
  /** The files of the repository the run would create, by path. */
  files: Map<string, string>;
};

/**
 * Starts the scaffolder with this module on the demo mesh and the demo's
 * dataMesh config, publishing (for real runs) to publishDir. Returns a
 * function that dry-runs a template file with form values.
 */
export async function startTemplateScaffolder(publishDir: string) {
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
  const baseUrl = `http://localhost:${server.port()}/api/scaffolder`;

  return async function dryRun(
    file: string,
    values: object,
  ): Promise<DryRunResult> {
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
    const body = await res.json();
    const files = new Map<string, string>(
      (body.directoryContents ?? []).map((f: any) => [
        f.path,
        Buffer.from(f.base64Content, 'base64').toString('utf8'),
      ]),
    );
    return { status: res.status, body, files };
  };
}
