import fs from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parse, parseAllDocuments } from 'yaml';
import { buildDataProduct, type ProductInput } from '../lib/descriptor';
import { createScaffolderPolicyEngine } from '../lib/governance';
import { createValidateAction } from './validate';

const examples = path.resolve(__dirname, '../../../../examples');

function demoMesh(): Entity[] {
  const index = parse(fs.readFileSync(path.join(examples, 'all.yaml'), 'utf8'));
  return (index.spec.targets as string[]).flatMap(target =>
    parseAllDocuments(fs.readFileSync(path.join(examples, target), 'utf8'))
      .map(d => d.toJS())
      .filter(Boolean),
  );
}

const config = new ConfigReader({
  dataMesh: {
    policies: [
      {
        id: 'finance.sox-regulated',
        title: 'Finance products declare SOX',
        attribute: 'secure',
        severity: 'error',
        scope: 'domain:default/finance',
        rationale: 'Finance reports under SOX.',
        howToFix: 'Add SOX to spec.regulations.',
        rule: { 'spec.regulations': { $contains: 'SOX' } },
        failMessage: 'spec.regulations does not list SOX',
      },
    ],
    levels: [
      {
        name: 'Bronze',
        policies: ['quanta.owner-exists', 'quanta.domain-exists'],
      },
      // A policy a backend module adds is unknown here and is left out.
      {
        name: 'Silver',
        policies: ['quanta.slos-declared', 'acme.module-only'],
      },
    ],
  },
});

const base: ProductInput = {
  name: 'store-visits',
  description: 'Every store visit counted by the door sensors.',
  type: 'aggregate',
  owner: 'group:default/sales-data',
  productOwner: 'user:default/maria.silva',
  domain: 'domain:default/sales',
  inputPorts: [
    { dataProduct: 'dataproduct:default/orders', outputPort: 'orders-table' },
  ],
  outputPorts: [
    {
      name: 'visits-table',
      description: 'One row per visit.',
      type: 'table',
      format: 'iceberg',
      address: 'iceberg://lake/sales/store_visits',
      fields: [{ name: 'visit_id', type: 'string', description: 'Visit id' }],
    },
  ],
  slos: { freshness: 'P1D', completeness: 99, availability: 99.5 },
  classification: 'internal',
  containsPii: false,
  retention: 'P1Y',
};

function setup() {
  const catalog = catalogServiceMock({ entities: demoMesh() });
  const action = createValidateAction({
    catalog,
    engine: createScaffolderPolicyEngine(config),
  });
  return { catalog, action };
}

function run(product: Partial<ProductInput> | object, isDryRun = false) {
  const { action } = setup();
  const ctx = {
    ...createMockActionContext({
      input: {
        entity: buildDataProduct({ ...base, ...product } as ProductInput),
      } as any,
      logger: mockServices.logger.mock(),
    }),
    isDryRun,
  };
  return { ctx, result: action.handler(ctx as any) };
}

describe('data-mesh:validate', () => {
  it('passes a good product and reports its level, score and warnings', async () => {
    const { ctx, result } = run({});
    await result;
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'dataproduct:default/store-visits',
    );
    expect(ctx.output).toHaveBeenCalledWith('level', 'Silver');
    const warnings = (ctx.output as jest.Mock).mock.calls.find(
      ([name]) => name === 'warnings',
    )[1];
    // No TechDocs annotation is missing, but there is no link either.
    expect(warnings.map((w: any) => w.policyId)).not.toContain(
      'quanta.documentation-linked',
    );
  });

  it('blocks an error-severity failure with a message a form user can act on', async () => {
    const { ctx, result } = run({
      owner: 'group:default/no-such-team',
      containsPii: true,
      classification: 'public',
    });
    const error = await result.catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(
      /^The data product was not created: 2 governance policies that must pass fail\. Nothing has been created; correct the form and run it again\./,
    );
    expect(error.message).toContain(
      '[quanta.owner-exists]: Owner group:default/no-such-team',
    );
    expect(error.message).toContain('[quanta.pii-not-public]');
    expect(error.message).toContain('To fix: ');
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('blocks in a dry run too, as the form should say so before the real run', async () => {
    const { result } = run({ domain: 'domain:default/nowhere' }, true);
    await expect(result).rejects.toThrow('[quanta.domain-exists]');
  });

  it('applies the domain rules from app-config', async () => {
    const { result } = run({
      domain: 'domain:default/finance',
      owner: 'group:default/finance-data',
      productOwner: 'user:default/isabella.garcia',
    });
    await expect(result).rejects.toThrow(
      'Finance products declare SOX [finance.sox-regulated]: spec.regulations does not list SOX',
    );
  });

  it('refuses an address another product already serves', async () => {
    const { result } = run({
      outputPorts: [
        { ...base.outputPorts[0], address: 'iceberg://lake/sales/orders' },
      ],
    });
    await expect(result).rejects.toThrow(
      'iceberg://lake/sales/orders is also served by dataproduct:default/orders',
    );
  });

  it('refuses a name that is taken', async () => {
    const { result } = run({ name: 'orders' });
    await expect(result).rejects.toThrow(
      'dataproduct:default/orders already exists in the catalog (owned by group:default/sales-data)',
    );
  });

  it('names the form field of a schema problem', async () => {
    const { result } = run({
      outputPorts: [{ ...base.outputPorts[0], format: 'Iceberg Tables' }],
    });
    await expect(result).rejects.toThrow(
      'Output port 1, format (spec.outputPorts[0].format): found "Iceberg Tables", expected a lower-case data format',
    );
  });

  it('logs warnings and fails on them only when asked', async () => {
    const logged = run({ productOwner: undefined });
    await logged.result;
    expect(logged.ctx.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('[quanta.product-owner-declared]'),
    );
    const { action } = setup();
    const strict = createMockActionContext({
      input: {
        entity: buildDataProduct({ ...base, productOwner: undefined }),
        failOnWarnings: true,
      } as any,
    });
    await expect(action.handler(strict as any)).rejects.toThrow(
      '[quanta.product-owner-declared]',
    );
  });

  it('reads the catalog with the credentials of the person running the task', async () => {
    const { catalog, action } = setup();
    const spy = jest.spyOn(catalog, 'getEntitiesByRefs');
    const ctx = createMockActionContext({
      input: { entity: buildDataProduct(base) } as any,
    });
    await action.handler(ctx as any);
    const credentials = await ctx.getInitiatorCredentials();
    expect(spy).toHaveBeenCalledWith(expect.anything(), { credentials });
  });
});
