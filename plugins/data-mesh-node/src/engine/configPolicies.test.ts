import { ConfigReader } from '@backstage/config';
import { dereference } from '@cfworker/json-schema';
import type { DataProductEntity } from '@quanta/plugin-data-mesh-common';
import { readConfigPolicies } from './configPolicies';
import { createMeshIndex } from './meshIndex';
import { PolicyEngine } from './PolicyEngine';

jest.mock('@cfworker/json-schema', () => {
  const actual = jest.requireActual('@cfworker/json-schema');
  return { ...actual, dereference: jest.fn(actual.dereference) };
});

function product(
  name: string,
  spec: Record<string, unknown> = {},
): DataProductEntity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'group:default/finance-data',
      domain: 'domain:default/finance',
      outputPorts: [
        {
          name: 'ledger',
          type: 'table',
          format: 'iceberg',
          address: `iceberg://lake/finance/${name}`,
          contract: { location: './ledger.odcs.yaml', version: '1.0.0' },
        },
      ],
      ...spec,
    } as DataProductEntity['spec'],
  };
}

const config = (policies: unknown[]) =>
  new ConfigReader({ dataMesh: { policies } } as any);

const context = { mesh: createMeshIndex([]), now: new Date(), facts: {} };

/** Every output port has a versioned contract. */
const contractsSchema = {
  type: 'object',
  required: ['spec'],
  properties: {
    spec: {
      type: 'object',
      properties: {
        outputPorts: {
          type: 'array',
          items: {
            required: ['contract'],
            properties: {
              contract: { $ref: '#/$defs/contract' },
            },
          },
        },
      },
    },
  },
  $defs: {
    contract: {
      type: 'object',
      required: ['location', 'version'],
      properties: {
        version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+' },
      },
    },
  },
};

/** Finance products name SOX and keep data for at least seven years. */
const soxSchema = {
  properties: {
    spec: {
      required: ['regulations', 'retention'],
      properties: {
        regulations: { type: 'array', contains: { const: 'SOX' } },
        retention: { enum: ['P7Y', 'P10Y'] },
      },
    },
  },
};

const base = {
  id: 'mesh.contracts-versioned',
  title: 'Output ports have versioned contracts',
  attribute: 'interoperable',
  severity: 'error',
  rationale: 'Consumers build on a contract version.',
  howToFix: 'Add spec.outputPorts[].contract with location and version.',
  schema: contractsSchema,
};

const finance = {
  ...base,
  id: 'finance.sox-retention',
  title: 'Finance products are kept for SOX',
  attribute: 'secure',
  scope: 'domain:default/finance',
  schema: soxSchema,
};

function engineOf(policies: unknown[]) {
  return new PolicyEngine({ policies: readConfigPolicies(config(policies)) });
}

describe('config policies with a JSON Schema rule', () => {
  it('passes products that satisfy a global schema and names what fails', () => {
    const engine = engineOf([base]);
    expect(engine.evaluate(product('ledger'), context).results).toEqual([
      { policyId: 'mesh.contracts-versioned', status: 'pass' },
    ]);
    const broken = product('journal', {
      outputPorts: [
        { name: 'a', type: 'table' },
        { name: 'b', contract: { location: './b.yaml', version: 'v2' } },
        { name: 'c', contract: { location: './c.yaml' } },
      ],
    });
    expect(engine.evaluate(broken, context).results).toEqual([
      {
        policyId: 'mesh.contracts-versioned',
        status: 'fail',
        message:
          'spec.outputPorts[0].contract is missing; spec.outputPorts[1].contract.version is "v2", expected text matching ^\\d+\\.\\d+\\.\\d+; spec.outputPorts[2].contract.version is missing',
      },
    ]);
    expect(
      engine.evaluate(product('x', { outputPorts: 'none' }), context).results[0]
        .message,
    ).toBe('spec.outputPorts is "none", expected a list');
  });

  it('applies a domain-local schema only to products of that domain', () => {
    const engine = engineOf([base, finance]);
    const passing = product('ledger', {
      regulations: ['GDPR', 'SOX'],
      retention: 'P10Y',
    });
    expect(engine.evaluate(passing, context).results).toEqual([
      { policyId: 'mesh.contracts-versioned', status: 'pass' },
      { policyId: 'finance.sox-retention', status: 'pass' },
    ]);
    expect(
      engine.evaluate(
        product('invoices', { regulations: ['GDPR'], retention: 'P2Y' }),
        context,
      ).results[1],
    ).toEqual({
      policyId: 'finance.sox-retention',
      status: 'fail',
      message:
        'spec.regulations is ["GDPR"], expected a list containing "SOX"; spec.retention is "P2Y", expected one of "P7Y", "P10Y"',
    });
    expect(
      engine.evaluate(product('invoices', {}), context).results[1].message,
    ).toBe('spec.regulations is missing; spec.retention is missing');
    // Products of other domains are not checked against finance's rule.
    const sales = product('orders', { domain: 'domain:default/sales' });
    expect(
      engine.evaluate(sales, context).results.map(r => r.policyId),
    ).toEqual(['mesh.contracts-versioned']);
  });

  it('limits a schema policy with appliesTo and prefixes failMessage', () => {
    const engine = engineOf([
      {
        ...finance,
        scope: 'global',
        appliesTo: { 'spec.containsPii': true },
        failMessage: 'Not kept as SOX requires',
      },
    ]);
    expect(engine.evaluate(product('a'), context).results[0].status).toBe(
      'not-applicable',
    );
    expect(
      engine.evaluate(
        product('b', { containsPii: true, regulations: ['SOX'] }),
        context,
      ).results[0].message,
    ).toBe('Not kept as SOX requires: spec.retention is missing');
  });

  it('sums up after the first five problems', () => {
    const engine = engineOf([
      {
        ...base,
        schema: {
          properties: {
            spec: { required: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] },
          },
        },
      },
    ]);
    expect(engine.evaluate(product('p'), context).results[0].message).toBe(
      'spec.a is missing; spec.b is missing; spec.c is missing; spec.d is missing; spec.e is missing; and 2 more problems',
    );
  });

  it('checks entities that hold undefined values as the JSON they stand for', () => {
    const engine = engineOf([base]);
    const built = product('draft', { system: undefined });
    expect(engine.evaluate(built, context).results[0].status).toBe('pass');
  });

  it('leaves the configured schema as it was', () => {
    const schema = JSON.parse(JSON.stringify(contractsSchema));
    engineOf([{ ...base, schema }]).evaluate(product('p'), context);
    expect(schema).toEqual(contractsSchema);
  });

  it.each([
    [
      { rule: { 'spec.slos': { $exists: true } } },
      'dataMesh.policies[0]: found both rule and schema, expected one of them',
    ],
    [
      { schema: undefined },
      'dataMesh.policies[0]: found neither rule nor schema, expected one of them',
    ],
    [
      { schema: 'required: [spec]' },
      'dataMesh.policies[0].schema: found "required: [spec]", expected a JSON Schema object',
    ],
    [
      { schema: { properties: { spec: { type: 'strin' } } } },
      'dataMesh.policies[0].schema.properties.spec.type: found "strin", expected one of "array", "boolean", "integer", "null", "number", "object", "string"; the rule must be a JSON Schema',
    ],
    [
      { schema: { required: 'spec' } },
      'dataMesh.policies[0].schema.required: found "spec", expected a list',
    ],
    [
      { schema: { properties: { spec: { requried: ['slos'] } } } },
      'dataMesh.policies[0].schema.properties.spec: unknown keyword "requried"',
    ],
    [
      { schema: { properties: { spec: { pattern: '([a-' } } } },
      'dataMesh.policies[0].schema.properties.spec.pattern: found "([a-", expected a valid regex',
    ],
    [
      { schema: { $ref: '#/$defs/port' } },
      'dataMesh.policies[0].schema.$ref: found "#/$defs/port", expected a reference to a part of this schema',
    ],
    [
      { schema: { $schema: 'http://json-schema.org/draft-04/schema#' } },
      'dataMesh.policies[0].schema.$schema: found "http://json-schema.org/draft-04/schema#", expected https://json-schema.org/draft/2020-12/schema',
    ],
    [
      { severity: 'high' },
      'dataMesh.policies[0].severity: found "high", expected one of info, warning, error',
    ],
    [
      { attribute: 'fast' },
      'dataMesh.policies[0].attribute: found "fast", expected one of discoverable',
    ],
    [
      { scope: 'finance' },
      'dataMesh.policies[0].scope: found "finance", expected global, or a domain reference',
    ],
  ])(
    'rejects %j at startup with a message naming the key',
    (change, message) => {
      expect(() =>
        readConfigPolicies(config([{ ...base, ...change }])),
      ).toThrow(message);
    },
  );

  it('accepts the drafts the validator supports', () => {
    for (const $schema of [
      'https://json-schema.org/draft/2020-12/schema',
      'https://json-schema.org/draft/2019-09/schema',
      'http://json-schema.org/draft-07/schema#',
    ]) {
      const engine = engineOf([
        { ...finance, schema: { $schema, ...soxSchema } },
      ]);
      expect(
        engine.evaluate(
          product('p', { regulations: ['SOX'], retention: 'P7Y' }),
          context,
        ).results[0].status,
      ).toBe('pass');
    }
  });

  it('compiles each schema once and checks a mesh of products quickly', () => {
    const engine = engineOf([base, finance]);
    const compiled = (dereference as jest.Mock).mock.calls.length;
    const products = Array.from({ length: 10_000 }, (_, i) =>
      product(`p-${i}`, {
        domain: i % 2 ? 'domain:default/finance' : 'domain:default/sales',
        regulations: i % 3 ? ['SOX'] : ['GDPR'],
        retention: 'P10Y',
      }),
    );
    const start = Date.now();
    let failed = 0;
    for (const p of products) {
      for (const result of engine.evaluate(p, context).results) {
        if (result.status === 'fail') failed++;
      }
    }
    const elapsed = Date.now() - start;
    expect(failed).toBe(1667);
    expect((dereference as jest.Mock).mock.calls.length).toBe(compiled);
    // Some 50 ms per schema policy outside Jest. The count above is what
    // shows compiling happens once; this bound only catches gross slowness.
    expect(elapsed).toBeLessThan(5000);
  });
});
