import { Entity } from '@backstage/catalog-model';
import {
  getDataProductAddress,
  normalizeRef,
  relationOrSpecRef,
  resolveContractUrl,
} from './entity';

const base: Entity = {
  apiVersion: 'quanta.dev/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'orders', namespace: 'sales' },
  spec: {},
};

function withSource(source: string | undefined): Entity {
  return {
    ...base,
    metadata: {
      ...base.metadata,
      annotations: source ? { 'backstage.io/source-location': source } : {},
    },
  };
}

describe('getDataProductAddress', () => {
  it('prefers the annotation stamped by the catalog', () => {
    expect(
      getDataProductAddress({
        ...base,
        metadata: {
          ...base.metadata,
          annotations: {
            'quanta.dev/address': 'dataproduct://sales/orders-v2',
          },
        },
      }),
    ).toBe('dataproduct://sales/orders-v2');
  });

  it('derives the address from the identity without the annotation', () => {
    expect(getDataProductAddress(base)).toBe('dataproduct://sales/orders');
  });
});

describe('resolveContractUrl', () => {
  const repo = 'url:https://github.com/acme/data/tree/main/orders/';

  it.each([
    [
      repo,
      './contracts/orders.odcs.yaml',
      'https://github.com/acme/data/tree/main/orders/contracts/orders.odcs.yaml',
    ],
    [
      repo,
      'contracts/orders.odcs.yaml',
      'https://github.com/acme/data/tree/main/orders/contracts/orders.odcs.yaml',
    ],
    [
      repo,
      '../shared/orders.odcs.yaml',
      'https://github.com/acme/data/tree/main/shared/orders.odcs.yaml',
    ],
    [
      repo,
      'https://contracts.example.com/orders.yaml',
      'https://contracts.example.com/orders.yaml',
    ],
    [
      undefined,
      'https://contracts.example.com/orders.yaml',
      'https://contracts.example.com/orders.yaml',
    ],
  ])('resolves against %s: %s', (source, location, expected) => {
    expect(resolveContractUrl(withSource(source), location)).toBe(expected);
  });

  it.each([
    [undefined, './contracts/orders.odcs.yaml'],
    ['file:/repo/orders/', './contracts/orders.odcs.yaml'],
    [repo, 's3://contracts/orders.yaml'],
    [repo, ''],
  ])('gives no link for source %s and location %p', (source, location) => {
    expect(resolveContractUrl(withSource(source), location)).toBeUndefined();
  });
});

describe('relationOrSpecRef', () => {
  it('uses the stitched relation when there is one', () => {
    const entity: Entity = {
      ...base,
      spec: { domain: 'sales' },
      relations: [
        { type: 'partOf', targetRef: 'system:sales/checkout' },
        { type: 'partOf', targetRef: 'domain:default/sales' },
      ],
    };
    expect(
      relationOrSpecRef(entity, {
        relation: 'partOf',
        targetKind: 'domain',
        specRef: { kind: 'domain', namespace: 'other', name: 'sales' },
      }),
    ).toEqual({ kind: 'domain', namespace: 'default', name: 'sales' });
  });

  it('falls back to the reference parsed from the spec', () => {
    expect(
      relationOrSpecRef(base, {
        relation: 'ownedBy',
        specRef: { kind: 'group', namespace: 'sales', name: 'sales-data' },
      }),
    ).toEqual({ kind: 'group', namespace: 'sales', name: 'sales-data' });
  });
});

describe('normalizeRef', () => {
  it('fills in kind and namespace and lower-cases', () => {
    expect(normalizeRef('Sales', 'domain')).toBe('domain:default/sales');
    expect(normalizeRef('domain:Finance/Sales', 'domain')).toBe(
      'domain:finance/sales',
    );
    expect(normalizeRef(42, 'domain')).toBeUndefined();
  });
});
