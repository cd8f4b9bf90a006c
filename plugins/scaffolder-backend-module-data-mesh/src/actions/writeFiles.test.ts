import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { validateDataProduct } from '@quanta/plugin-data-mesh-common';
import { parse } from 'yaml';
import { officialOdcsErrors, odcsSuite } from '../__testUtils__/odcs';
import { createWriteCodeownersAction } from './writeCodeowners';
import { createWriteContractsAction } from './writeContracts';
import { createWriteDescriptorAction } from './writeDescriptor';
import { createWriteModelsAction } from './writeModels';
import { literal } from '../lib/models';
import { createWriteQualityChecksAction } from './writeQualityChecks';
import { createWriteSchemasAction } from './writeSchemas';

// What a user might type that looks like template syntax of the scaffolder
// (${{ }}), of Nunjucks ({{ }}, {% %}) or of dbt's Jinja.
const TRICKY = '${{ secrets.token }} {{ 7 * 7 }} {% include "x" %} {# c #}';

const input = {
  name: 'store-visits',
  title: `Store visits ${TRICKY}`,
  description: `Visits per store. ${TRICKY}`,
  type: 'source-aligned',
  owner: 'group:default/sales-data',
  productOwner: 'maria.silva',
  domain: 'sales',
  inputPorts: [{ source: 'component:default/orders-service' }],
  outputPorts: [
    {
      name: 'visits-table',
      description: `Port ${TRICKY}`,
      type: 'table',
      format: 'iceberg',
      address: 'iceberg://lake/sales/store_visits',
      fields: [
        { name: 'visit_id', type: 'string', description: TRICKY },
        { name: '{{weird}}', type: 'string' },
        { name: 'email', type: 'string', pii: true },
        { name: 'visited_at', type: 'timestamp' },
      ],
    },
  ],
  slos: { freshness: 'PT1H', completeness: 99, availability: 99.5 },
  classification: 'confidential',
  containsPii: true,
  retention: 'P2Y',
  regulations: ['GDPR'],
  template: {
    ref: 'template:default/source-aligned-data-product',
    version: '2.1.0',
  },
};

const mockDir = createMockDirectory();
const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-outside-'));

afterAll(() => fs.rmSync(outside, { recursive: true, force: true }));

function context(extra: Record<string, unknown> = {}, isDryRun = false) {
  return {
    ...createMockActionContext({
      input: extra as any,
      workspacePath: mockDir.resolve('workspace'),
    }),
    isDryRun,
  };
}

async function descriptor(isDryRun = false) {
  const ctx = context(input, isDryRun);
  await createWriteDescriptorAction().handler(ctx as any);
  const entity = (ctx.output as jest.Mock).mock.calls.find(
    ([name]) => name === 'entity',
  )[1];
  return entity;
}

/** Every file under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile())
    .map(e => path.relative(dir, path.join(e.parentPath, e.name)));
}

const read = (file: string) =>
  fs.readFileSync(mockDir.resolve('workspace', file), 'utf8');

beforeEach(() => {
  mockDir.setContent({ workspace: {} });
  fs.rmSync(outside, { recursive: true, force: true });
  fs.mkdirSync(outside);
});

describe('data-mesh:write:descriptor', () => {
  it('writes a valid DataProduct with the template annotations', async () => {
    const entity = await descriptor();
    const written = parse(read('catalog-info.yaml'));
    expect(written).toEqual(entity);
    expect(validateDataProduct(written)).toEqual([]);
    expect(written.metadata.annotations).toEqual({
      'backstage.io/source-template':
        'template:default/source-aligned-data-product',
      'quanta.dev/template-version': '2.1.0',
      'backstage.io/techdocs-ref': 'dir:.',
    });
    // Short references take the kind the field implies.
    expect(written.spec.productOwner).toBe('user:default/maria.silva');
    expect(written.spec.domain).toBe('domain:default/sales');
    expect(written.spec.inputPorts).toEqual([
      { name: 'orders-service', source: 'component:default/orders-service' },
    ]);
    expect(written.spec.outputPorts[0].contract).toEqual({
      location: './contracts/visits-table.odcs.yaml',
      version: '1.0.0',
    });
  });

  it('writes the same descriptor for pickers that store { title, ref }', async () => {
    const fromRefs = await descriptor();
    const ctx = context({
      ...input,
      inputPorts: [
        {
          source: {
            title: 'Orders Service',
            ref: 'component:default/orders-service',
          },
        },
        {
          dataProduct: { title: 'Orders', ref: 'dataproduct:default/orders' },
          outputPort: 'orders-table',
        },
      ],
    });
    await createWriteDescriptorAction().handler(ctx as any);
    const written = parse(read('catalog-info.yaml'));
    // Titles are for the form's review only; the descriptor has references.
    expect(written.spec.inputPorts).toEqual([
      { name: 'orders-service', source: 'component:default/orders-service' },
      {
        name: 'orders-orders-table',
        dataProduct: 'dataproduct:default/orders',
        outputPort: 'orders-table',
      },
    ]);
    expect({ ...written.spec, inputPorts: undefined }).toEqual({
      ...fromRefs.spec,
      inputPorts: undefined,
    });
  });

  it('keeps template syntax in the values literally', async () => {
    await descriptor();
    const written = parse(read('catalog-info.yaml'));
    expect(written.metadata.title).toBe(`Store visits ${TRICKY}`);
    expect(written.metadata.description).toBe(`Visits per store. ${TRICKY}`);
    expect(written.spec.outputPorts[0].schema[0].description).toBe(TRICKY);
  });

  it('reads the template and its version from the running template', async () => {
    const ctx = {
      ...context({ ...input, template: undefined }),
      templateInfo: {
        entityRef: 'template:default/dry-run',
        entity: {
          metadata: {
            name: 'aggregate-data-product',
            annotations: { 'quanta.dev/template-version': '1.4.0' },
          },
        },
      },
    };
    await createWriteDescriptorAction().handler(ctx as any);
    expect(parse(read('catalog-info.yaml')).metadata.annotations).toMatchObject(
      {
        'backstage.io/source-template':
          'template:default/aggregate-data-product',
        'quanta.dev/template-version': '1.4.0',
      },
    );
  });

  it.each([
    ['../escape.yaml', 'outside its parent'],
    ['sub/../../escape.yaml', 'outside its parent'],
    ['/etc/catalog-info.yaml', 'absolute'],
  ])('refuses the path %s', async (target, message) => {
    await expect(
      createWriteDescriptorAction().handler(
        context({ ...input, path: target }) as any,
      ),
    ).rejects.toThrow(message);
    expect(fs.existsSync(mockDir.resolve('escape.yaml'))).toBe(false);
  });

  it('refuses to write through a symlink that leaves the workspace', async () => {
    fs.symlinkSync(outside, mockDir.resolve('workspace', 'linked'));
    await expect(
      createWriteDescriptorAction().handler(
        context({ ...input, path: 'linked/catalog-info.yaml' }) as any,
      ),
    ).rejects.toThrow('outside its parent');
    expect(filesUnder(outside)).toEqual([]);
  });
});

describe('data-mesh:write:contracts', () => {
  it('writes one ODCS v3.1.0 contract per output port, values literal', async () => {
    const entity = await descriptor();
    const ctx = context({ entity });
    await createWriteContractsAction().handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('paths', [
      'contracts/visits-table.odcs.yaml',
    ]);
    const contract = parse(read('contracts/visits-table.odcs.yaml'));
    expect(contract).toMatchObject({
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: 'dataproduct://default/store-visits/visits-table',
      status: 'draft',
      domain: 'sales',
      dataProduct: 'store-visits',
      description: { purpose: `Port ${TRICKY}` },
    });
    expect(contract.schema[0].properties[0]).toEqual({
      name: 'visit_id',
      logicalType: 'string',
      physicalType: 'string',
      description: TRICKY,
    });
    expect(contract.schema[0].properties[2]).toMatchObject({
      name: 'email',
      classification: 'confidential',
      tags: ['pii'],
    });
    expect(contract.slaProperties).toEqual(
      expect.arrayContaining([
        { property: 'latency', value: 1, unit: 'h' },
        { property: 'retention', value: 2, unit: 'y' },
        { property: 'completeness', value: 99, unit: 'percent' },
      ]),
    );
  });

  it.each([
    ['../../outside.odcs.yaml', 'outside its parent'],
    ['/tmp/outside.odcs.yaml', 'absolute'],
  ])('refuses the contract location %s', async (location, message) => {
    const entity = await descriptor();
    entity.spec.outputPorts[0].contract.location = location;
    await expect(
      createWriteContractsAction().handler(context({ entity }) as any),
    ).rejects.toThrow(message);
  });

  it('skips contracts that live at a URL', async () => {
    const entity = await descriptor();
    entity.spec.outputPorts[0].contract.location =
      'https://contracts.example/visits.odcs.yaml';
    const ctx = context({ entity });
    await createWriteContractsAction().handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('paths', []);
  });
});

describe('data-mesh:write:models', () => {
  // Jinja renders what dbt runs; python3 with jinja2 is the real renderer.
  const jinja = spawnSync('python3', ['-c', 'import jinja2'], {
    encoding: 'utf8',
  });
  const renderable = jinja.status === 0;
  const withJinja =
    renderable || process.env.QUANTA_REQUIRE_PYTHON === '1'
      ? it
      : // eslint-disable-next-line jest/no-disabled-tests -- skipped, with the reason in its title, without python3's jinja2
        it.skip;
  withJinja(
    `keeps hostile values literal when Jinja renders the model${
      renderable ? '' : ' (skipped: python3 cannot import jinja2)'
    }`,
    () => {
      const hostile = [
        'x {% endraw %}{{ 7 * 7 }}',
        "it's {{ 6 * 7 }} \\ {% raw %}",
        '{#- note -#} }} %} #}',
      ];
      for (const text of hostile) {
        const rendered = spawnSync(
          'python3',
          [
            '-c',
            'import sys, jinja2; print(jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(sys.stdin.read()).render(), end="")',
          ],
          { input: literal(text), encoding: 'utf8' },
        );
        // eslint-disable-next-line jest/no-standalone-expect -- withJinja is it, or it.skip
        expect([text, rendered.stderr, rendered.stdout]).toEqual([
          text,
          '',
          text,
        ]);
      }
    },
  );

  it('writes staging and port models; Jinja in names stays literal', async () => {
    const entity = await descriptor();
    const ctx = context({ entity });
    await createWriteModelsAction().handler(ctx as any);
    expect(filesUnder(mockDir.resolve('workspace', 'models')).sort()).toEqual([
      'sources.yml',
      'staging/stg_orders_service.sql',
      'visits_table.sql',
    ]);
    const model = read('models/visits_table.sql');
    expect(model).toContain("from {{ ref('stg_orders_service') }}");
    expect(model).toContain(`{{ '"{{weird}}"' }},`);
    expect(model).toContain('current_timestamp as _loaded_at');
    expect(parse(read('models/sources.yml')).sources[0].tables).toEqual([
      {
        name: 'orders_service',
        meta: {
          inputPort: 'orders-service',
          source: 'component:default/orders-service',
        },
      },
    ]);
  });

  it('refuses a directory outside the workspace', async () => {
    const entity = await descriptor();
    await expect(
      createWriteModelsAction().handler(
        context({ entity, directory: '../..' }) as any,
      ),
    ).rejects.toThrow('outside its parent');
  });
});

describe('data-mesh:write:quality-checks', () => {
  it('writes a check per SLO and port', async () => {
    const entity = await descriptor();
    const ctx = context({ entity });
    await createWriteQualityChecksAction().handler(ctx as any);
    const checks = parse(read('quality/checks.yaml'));
    expect(checks.product).toBe('dataproduct:default/store-visits');
    expect(checks.checks.map((c: any) => [c.name, c.expect])).toEqual([
      ['visits-table.freshness', { maxAgeSeconds: 3600 }],
      ['visits-table.completeness', { min: 99 }],
      ['visits-table.availability', { min: 0 }],
    ]);
    expect(checks.checks[1].query).toContain('"{{weird}}" is not null');
    expect(ctx.output).toHaveBeenCalledWith('checks', 3);
  });

  it('refuses an absolute path', async () => {
    const entity = await descriptor();
    await expect(
      createWriteQualityChecksAction().handler(
        context({ entity, path: '/tmp/checks.yaml' }) as any,
      ),
    ).rejects.toThrow('absolute');
  });
});

describe('data-mesh:write:codeowners', () => {
  it('names the owning team', async () => {
    const ctx = context({
      owner: 'group:default/sales-data',
      productOwner: 'user:default/maria.silva',
      organization: 'acme',
    });
    await createWriteCodeownersAction().handler(ctx as any);
    expect(read('CODEOWNERS')).toBe(
      [
        '# Owned in the catalog by group:default/sales-data; product owner user:default/maria.silva.',
        '# Every change needs a review from the owning team.',
        '* @acme/sales-data',
        '',
      ].join('\n'),
    );
    expect(ctx.output).toHaveBeenCalledWith('handle', '@acme/sales-data');
  });

  it('has one rule, whatever line breaks the owner or product owner carry', async () => {
    const hostile: Array<{ owner: string; productOwner?: string }> = [
      { owner: 'group:evil\n* @attacker/sales-data' },
      { owner: 'group:evil\r\n* @attacker/sales-data' },
      {
        owner: 'group:default/sales-data',
        productOwner: 'maria\n* @attacker\u2028* @other',
      },
    ];
    for (const values of hostile) {
      const ctx = context(values);
      await createWriteCodeownersAction().handler(ctx as any);
      const lines = read('CODEOWNERS').split(/\r\n|\r|\n|\u2028|\u2029/);
      // GitHub reads every line that is neither blank nor a comment as a rule.
      expect(lines.filter(l => l.trim() && !l.startsWith('#'))).toEqual([
        '* @sales-data',
      ]);
    }
  });

  it('refuses handles that are not handles', async () => {
    await expect(
      createWriteCodeownersAction().handler(
        context({
          owner: 'group:default/sales-data',
          organization: 'a b',
        }) as any,
      ),
    ).rejects.toThrow('cannot be part of a CODEOWNERS handle');
  });

  it('refuses a path through a symlink out of the workspace', async () => {
    fs.symlinkSync(outside, mockDir.resolve('workspace', '.github'));
    await expect(
      createWriteCodeownersAction().handler(
        context({
          owner: 'group:default/sales-data',
          path: '.github/CODEOWNERS',
        }) as any,
      ),
    ).rejects.toThrow('outside its parent');
    expect(filesUnder(outside)).toEqual([]);
  });
});

odcsSuite.describe(
  odcsSuite.title('contracts under the official ODCS schemas'),
  () => {
    it('what data-mesh:write:contracts writes is valid ODCS v3.1.0', async () => {
      const entity = await descriptor();
      await createWriteContractsAction().handler(context({ entity }) as any);
      const contract = parse(read('contracts/visits-table.odcs.yaml'));
      expect(contract.apiVersion).toBe('v3.1.0');
      expect(officialOdcsErrors(contract)).toEqual([]);
    });

    it('so are the demo mesh contracts, under the schema of their own apiVersion', () => {
      const dir = path.resolve(__dirname, '../../../../examples/contracts');
      const files = fs.readdirSync(dir);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const contract = parse(fs.readFileSync(path.join(dir, file), 'utf8'));
        expect({ file, errors: officialOdcsErrors(contract) }).toEqual({
          file,
          errors: [],
        });
      }
    });

    it('and a contract missing a required field is not', async () => {
      const entity = await descriptor();
      await createWriteContractsAction().handler(context({ entity }) as any);
      const contract = parse(read('contracts/visits-table.odcs.yaml'));
      delete contract.status;
      expect(officialOdcsErrors(contract)).toEqual([
        expect.objectContaining({
          message: "must have required property 'status'",
        }),
      ]);
    });
  },
);

describe('data-mesh:write:schemas', () => {
  it('writes the DataProduct schema, and no ODCS schema of its own', async () => {
    await createWriteSchemasAction().handler(context({}) as any);
    expect(
      JSON.parse(read('.quanta/schemas/data-product.schema.json')).title,
    ).toBe('DataProduct');
    expect(
      fs.readdirSync(mockDir.resolve('workspace/.quanta/schemas')),
    ).toEqual(['data-product.schema.json']);
  });

  it('refuses a folder outside the workspace', async () => {
    await expect(
      createWriteSchemasAction().handler(
        context({ directory: '../schemas' }) as any,
      ),
    ).rejects.toThrow('outside its parent');
  });
});

describe('the YAML files written', () => {
  it('read the same in YAML 1.1 (PyYAML, as dbt and the quality runner use) as in YAML 1.2', async () => {
    // Words and dates that YAML 1.1 reads as booleans and timestamps.
    const ctx = context({
      ...input,
      name: 'on',
      inputPorts: [{ name: 'yes', source: 'component:default/orders-service' }],
      outputPorts: [
        {
          ...input.outputPorts[0],
          name: 'no',
          description: 'off',
          fields: [{ name: 'y', type: 'string', description: '2026-01-31' }],
        },
      ],
    });
    await createWriteDescriptorAction().handler(ctx as any);
    const entity = (ctx.output as jest.Mock).mock.calls.find(
      ([name]) => name === 'entity',
    )[1];
    for (const create of [
      createWriteContractsAction,
      createWriteModelsAction,
      createWriteQualityChecksAction,
    ]) {
      await create().handler(context({ entity }) as any);
    }
    const files = filesUnder(mockDir.resolve('workspace')).filter(file =>
      /\.ya?ml$/.test(file),
    );
    expect(files.sort()).toEqual([
      'catalog-info.yaml',
      'contracts/no.odcs.yaml',
      'models/sources.yml',
      'quality/checks.yaml',
    ]);
    for (const file of files) {
      const text = read(file);
      expect({ file, read: parse(text, { version: '1.1' }) }).toEqual({
        file,
        read: parse(text),
      });
    }
    const contract = parse(read('contracts/no.odcs.yaml'), { version: '1.1' });
    expect(typeof contract.contractCreatedTs).toBe('string');
    expect(contract.schema[0].name).toBe('no');
  });
});

describe('in a dry run', () => {
  it('writes only inside the workspace', async () => {
    const before = filesUnder(mockDir.path).filter(
      f => !f.startsWith('workspace'),
    );
    const entity = await descriptor(true);
    for (const action of [
      createWriteContractsAction(),
      createWriteModelsAction(),
      createWriteQualityChecksAction(),
    ]) {
      await action.handler(context({ entity }, true) as any);
    }
    await createWriteCodeownersAction().handler(
      context({ owner: 'group:default/sales-data' }, true) as any,
    );
    await createWriteSchemasAction().handler(context({}, true) as any);
    expect(
      filesUnder(mockDir.path).filter(f => !f.startsWith('workspace')),
    ).toEqual(before);
    expect(filesUnder(outside)).toEqual([]);
    expect(filesUnder(mockDir.resolve('workspace')).length).toBeGreaterThan(6);
  });
});
