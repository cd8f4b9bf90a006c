import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  formatProblem,
  parseDataProductRefs,
  validateDataProduct,
} from './validator';
import { DataProductEntity, dataProductAddress } from './types';

function validProduct(): DataProductEntity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name: 'orders', namespace: 'default' },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'group:default/sales-data',
      productOwner: 'maria.silva',
      domain: 'sales',
      system: 'checkout',
      inputPorts: [
        { name: 'orders-db', source: 'component:default/orders-service' },
        {
          name: 'customers',
          dataProduct: 'customers',
          outputPort: 'customers-table',
        },
      ],
      outputPorts: [
        {
          name: 'orders-table',
          type: 'table',
          format: 'iceberg',
          address: 'iceberg://lake/sales/orders',
          contract: {
            location: './contracts/orders.odcs.yaml',
            version: '1.2.0',
          },
          schema: [
            { name: 'order_id', type: 'string' },
            {
              name: 'customer_email',
              type: 'string',
              pii: true,
              classification: 'confidential',
            },
          ],
        },
      ],
      slos: {
        freshness: 'PT1H',
        intervalOfChange: 'PT15M',
        completeness: 99.5,
        availability: 99.9,
        timeliness: 'PT30M',
      },
      classification: 'confidential',
      containsPii: true,
      retention: 'P2Y',
      regulations: ['GDPR', 'CCPA'],
    },
  };
}

function messagesFor(mutate: (spec: any, entity: any) => void): string[] {
  const entity: any = validProduct();
  mutate(entity.spec, entity);
  return validateDataProduct(entity).map(formatProblem);
}

describe('validateDataProduct', () => {
  it('accepts a complete product', () => {
    expect(validateDataProduct(validProduct())).toEqual([]);
  });

  it('accepts a minimal product with only the required fields', () => {
    const entity: any = validProduct();
    entity.spec = {
      type: 'aggregate',
      lifecycle: 'experimental',
      owner: 'sales-data',
      domain: 'sales',
      outputPorts: [
        {
          name: 'daily',
          type: 'file',
          format: 'csv',
          address: 's3://b/daily/',
        },
      ],
    };
    expect(validateDataProduct(entity)).toEqual([]);
  });

  const TYPES = 'source-aligned, aggregate, consumer-aligned';
  const DURATION = 'an ISO-8601 duration such as PT1H, P1D or P2Y';

  // Each row: what a user got wrong, and every sentence they are shown.
  const cases: Array<[string, (spec: any, entity: any) => void, string[]]> = [
    [
      'misspelled type',
      s => (s.type = 'source'),
      [`spec.type: found "source", expected one of ${TYPES}`],
    ],
    [
      'missing type',
      s => delete s.type,
      ['spec.type: found nothing, expected a data product type'],
    ],
    [
      'unknown lifecycle',
      s => (s.lifecycle = 'beta'),
      [
        'spec.lifecycle: found "beta", expected one of experimental, production, deprecated, retired',
      ],
    ],
    [
      'missing owner',
      s => delete s.owner,
      [
        'spec.owner: found nothing, expected a Group entity reference, such as group:default/sales-data',
      ],
    ],
    [
      'owner that is a user',
      s => (s.owner = 'user:default/maria.silva'),
      [
        'spec.owner: found "user:default/maria.silva", a reference to a user, expected a Group entity reference, such as group:default/sales-data',
      ],
    ],
    [
      'owner written as a list',
      s => (s.owner = ['sales-data']),
      [
        'spec.owner: found a list, expected a Group entity reference, such as group:default/sales-data',
      ],
    ],
    [
      'product owner that is a group',
      s => (s.productOwner = 'group:sales-data'),
      [
        'spec.productOwner: found "group:sales-data", a reference to a group, expected a User entity reference, such as user:default/jane.doe',
      ],
    ],
    [
      'missing domain',
      s => delete s.domain,
      [
        'spec.domain: found nothing, expected a Domain entity reference, such as domain:default/sales',
      ],
    ],
    [
      'domain with spaces',
      s => (s.domain = 'sales and marketing'),
      [
        'spec.domain: found "sales and marketing", expected a Domain entity reference, such as domain:default/sales',
      ],
    ],
    [
      'no output ports',
      s => (s.outputPorts = []),
      [
        'spec.outputPorts: found a list, expected a list of at least one output port',
      ],
    ],
    [
      'missing output ports',
      s => delete s.outputPorts,
      [
        'spec.outputPorts: found nothing, expected a list of at least one output port',
      ],
    ],
    [
      'misspelled output port type',
      s => (s.outputPorts[0].type = 'tabel'),
      [
        'spec.outputPorts[0].type: found "tabel", expected one of table, view, topic, file, api',
      ],
    ],
    [
      'output port without address',
      s => delete s.outputPorts[0].address,
      [
        'spec.outputPorts[0].address: found nothing, expected a URI with a scheme, such as s3://lake/sales/orders/ or kafka://prod/sales.orders.v1',
      ],
    ],
    [
      'address without a scheme',
      s => (s.outputPorts[0].address = 'lake/sales/orders'),
      [
        'spec.outputPorts[0].address: found "lake/sales/orders", expected a URI with a scheme, such as s3://lake/sales/orders/ or kafka://prod/sales.orders.v1',
      ],
    ],
    [
      'upper-case format',
      s => (s.outputPorts[0].format = 'Parquet'),
      [
        'spec.outputPorts[0].format: found "Parquet", expected a lower-case data format such as parquet, avro, json, iceberg, delta or csv',
      ],
    ],
    [
      'contract without version',
      s => delete s.outputPorts[0].contract.version,
      [
        'spec.outputPorts[0].contract.version: found nothing, expected the contract version, such as 1.0.0',
      ],
    ],
    [
      'contract given as a plain string',
      s => (s.outputPorts[0].contract = './contracts/orders.odcs.yaml'),
      [
        'spec.outputPorts[0].contract: found "./contracts/orders.odcs.yaml", expected an object with location (path or URL of an ODCS contract) and version',
      ],
    ],
    [
      'schema field with a pii string',
      s => (s.outputPorts[0].schema[1].pii = 'yes'),
      [
        'spec.outputPorts[0].schema[1].pii: found "yes", expected true or false',
      ],
    ],
    [
      'schema field classification unknown',
      s => (s.outputPorts[0].schema[1].classification = 'secret'),
      [
        'spec.outputPorts[0].schema[1].classification: found "secret", expected one of public, internal, confidential, restricted',
      ],
    ],
    [
      'two output ports with one address',
      s =>
        s.outputPorts.push({
          name: 'orders-copy',
          type: 'table',
          format: 'iceberg',
          address: 'iceberg://lake/sales/orders',
        }),
      [
        'spec.outputPorts[1].address: found "iceberg://lake/sales/orders", already used by spec.outputPorts[0], expected an address that is unique within the data product',
      ],
    ],
    [
      'two output ports with one name',
      s =>
        s.outputPorts.push({
          name: 'orders-table',
          type: 'topic',
          format: 'avro',
          address: 'kafka://prod/sales.orders.v1',
        }),
      [
        'spec.outputPorts[1].name: found "orders-table", already used by spec.outputPorts[0], expected a name that is unique within the data product',
      ],
    ],
    [
      'input port with both an upstream product and a source',
      s => (s.inputPorts[1].source = 'component:default/crm'),
      [
        'spec.inputPorts[1]: found both dataProduct and source, expected either dataProduct (an upstream data product) or source (a Component, API or Resource), not both',
      ],
    ],
    [
      'input port that reads nothing',
      s => (s.inputPorts[0] = { name: 'orders-db' }),
      [
        'spec.inputPorts[0]: found neither dataProduct nor source, expected dataProduct with outputPort (an upstream data product) or source (a Component, API or Resource)',
      ],
    ],
    [
      'upstream product without output port',
      s => delete s.inputPorts[1].outputPort,
      [
        'spec.inputPorts[1].outputPort: found nothing, expected the name of the upstream output port this input port reads',
      ],
    ],
    [
      'input source that is a group',
      s => (s.inputPorts[0].source = 'group:default/sales-data'),
      [
        'spec.inputPorts[0].source: found "group:default/sales-data", a reference to a group, expected a Component, API or Resource entity reference, such as component:default/orders-service',
      ],
    ],
    [
      'upstream written as a component',
      s => (s.inputPorts[1].dataProduct = 'component:default/customers'),
      [
        'spec.inputPorts[1].dataProduct: found "component:default/customers", a reference to a component, expected a DataProduct entity reference, such as dataproduct:default/orders',
      ],
    ],
    [
      'freshness in words',
      s => (s.slos.freshness = '1 hour'),
      [`spec.slos.freshness: found "1 hour", expected ${DURATION}`],
    ],
    [
      'completeness above 100',
      s => (s.slos.completeness = 120),
      [
        'spec.slos.completeness: found number 120, expected a percentage from 0 to 100',
      ],
    ],
    [
      'availability as a string',
      s => (s.slos.availability = '99.9%'),
      [
        'spec.slos.availability: found "99.9%", expected a percentage from 0 to 100',
      ],
    ],
    [
      'misspelled SLO',
      s => (s.slos.freshnes = 'PT1H'),
      [
        'spec.slos.freshnes: found an unknown field "freshnes", expected only the fields freshness, intervalOfChange, completeness, availability, timeliness (check the spelling)',
      ],
    ],
    [
      'unknown classification',
      s => (s.classification = 'secret'),
      [
        'spec.classification: found "secret", expected one of public, internal, confidential, restricted',
      ],
    ],
    [
      'containsPii as a string',
      s => (s.containsPii = 'true'),
      ['spec.containsPii: found "true", expected true or false'],
    ],
    [
      'retention as a number of days',
      s => (s.retention = 730),
      [`spec.retention: found number 730, expected ${DURATION}`],
    ],
    [
      'regulation in lower case',
      s => (s.regulations = ['gdpr']),
      [
        'spec.regulations[0]: found "gdpr", expected an upper-case regulation code such as GDPR, CCPA or HIPAA',
      ],
    ],
    [
      'waiver with an expiry in words',
      s =>
        (s.waivers = [
          {
            policy: 'quanta.slos-declared',
            reason: 'Pilot',
            expires: 'end of Q2',
          },
        ]),
      [
        'spec.waivers[0].expires: found "end of Q2", expected the date the waiver ends, such as 2027-03-31',
      ],
    ],
    [
      'waiver without a reason',
      s =>
        (s.waivers = [
          { policy: 'quanta.slos-declared', expires: '2027-03-31' },
        ]),
      [
        'spec.waivers[0].reason: found nothing, expected why the product is exempt',
      ],
    ],
    [
      'misspelled spec field',
      s => {
        s.outputports = s.outputPorts;
        delete s.outputPorts;
      },
      [
        'spec.outputPorts: found nothing, expected a list of at least one output port',
        'spec.outputports: found an unknown field "outputports", expected only the fields type, lifecycle, owner, productOwner, domain, system, inputPorts, outputPorts, slos, classification, containsPii, retention, regulations, waivers (check the spelling)',
      ],
    ],
    [
      'no spec at all',
      (_s, e) => delete e.spec,
      [
        'spec: found nothing, expected the data product spec with at least type, lifecycle, owner, domain and outputPorts',
      ],
    ],
    [
      'several mistakes at once are all reported',
      s => {
        s.type = 'raw';
        s.outputPorts[0].type = 'bucket';
        s.slos.timeliness = 'soon';
      },
      [
        `spec.type: found "raw", expected one of ${TYPES}`,
        'spec.outputPorts[0].type: found "bucket", expected one of table, view, topic, file, api',
        `spec.slos.timeliness: found "soon", expected ${DURATION}`,
      ],
    ],
  ];

  it('has a broad table of malformed descriptors', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('reports %s', (_name, mutate, expected) => {
    expect(messagesFor(mutate).sort()).toEqual([...expected].sort());
  });

  it('measures size before anything else, unless the caller just did', () => {
    const big = validProduct();
    big.metadata.description = 'x'.repeat(4096);
    const [tooBig] = validateDataProduct(big, { maxSize: 1024 });
    expect(tooBig.found).toMatch(/^a descriptor larger than 1 KiB as JSON/);
    // The processor measured the same object a moment before: no second walk,
    // and the rules run.
    expect(
      validateDataProduct(big, { maxSize: 1024, limitsChecked: true }),
    ).toEqual([]);
  });
});

describe('parseDataProductRefs', () => {
  it('expands short references with the kind the field implies and the product namespace', () => {
    const entity: any = validProduct();
    entity.metadata.namespace = 'retail';
    const { refs, problems } = parseDataProductRefs(entity);
    expect(problems).toEqual([]);
    expect(refs.owner).toEqual({
      kind: 'group',
      namespace: 'default',
      name: 'sales-data',
    });
    expect(refs.productOwner).toEqual({
      kind: 'user',
      namespace: 'retail',
      name: 'maria.silva',
    });
    expect(refs.domain).toEqual({
      kind: 'domain',
      namespace: 'retail',
      name: 'sales',
    });
    expect(refs.system).toEqual({
      kind: 'system',
      namespace: 'retail',
      name: 'checkout',
    });
    expect(refs.inputPorts).toEqual([
      {
        dataProduct: undefined,
        source: {
          kind: 'component',
          namespace: 'default',
          name: 'orders-service',
        },
      },
      {
        dataProduct: {
          kind: 'dataproduct',
          namespace: 'retail',
          name: 'customers',
        },
        source: undefined,
      },
    ]);
  });
});

describe('dataProductAddress', () => {
  it('derives the address from namespace and name only', () => {
    const entity = validProduct();
    expect(dataProductAddress(entity)).toBe('dataproduct://default/orders');
    entity.spec.domain = 'marketing';
    expect(dataProductAddress(entity)).toBe('dataproduct://default/orders');
    expect(dataProductAddress({ metadata: { name: 'leads' } } as any)).toBe(
      'dataproduct://default/leads',
    );
  });
});

describe('generated validator', () => {
  it('matches the JSON schema it was generated from', () => {
    const script = path.resolve(
      __dirname,
      '../../scripts/generate-validator.js',
    );
    expect(() =>
      execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});
