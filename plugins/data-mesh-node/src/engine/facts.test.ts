import {
  type DataProductEntity,
  parseDataProductRefs,
} from '@quanta/plugin-data-mesh-common';
import { prepareProduct, readFullRefs, refsOf, upstreamRefOf } from './facts';

function product(spec: Record<string, unknown>): DataProductEntity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name: 'orders', namespace: 'retail' },
    spec: spec as DataProductEntity['spec'],
  };
}

// Spellings the shortcut for full lower-case references must read exactly
// as the general parser does, or leave to it.
const written = [
  'group:default/sales-data',
  'group:retail/sales-data',
  'Group:default/sales-data',
  'group:default/Sales-Data',
  'sales-data',
  'default/sales-data',
  'group:sales-data',
  'user:default/maria',
  'group:default/a/b',
  'group:a:b/c',
  'group:/x',
  'group:x/',
  ':default/x',
  'bad:',
  '',
  'dataproduct:default/orders',
  'resource:default/orders-db',
  'api:default/events',
  'domain:default/sales',
  'system:default/checkout',
  // References that can never resolve: the shortcut must not read them as
  // names either.
  'group:default/s\u0430les-data',
  'group:default/sales\u200b',
  'group:default/\u202esales',
  'group:default/sales\u2066',
  'group:d\u0435fault/sales',
  'group:my_ns/sales',
  'group:default/-sales',
  'group:default/sales.',
  `group:default/${'a'.repeat(64)}`,
  `group:${'a'.repeat(64)}/sales`,
  `group:default/${'a'.repeat(63)}`,
  'group:jane.doe@example.com',
  'user:default/jane.doe@example.com',
  'dataproduct:default/orders\n',
  'group:default/a--b',
  'group:a--b/c',
];

describe('readFullRefs', () => {
  it.each(written)(
    'reads %j as parseDataProductRefs does, or not at all',
    value => {
      const entity = product({
        owner: value,
        productOwner: value,
        domain: value,
        system: value,
        inputPorts: [{ dataProduct: value }, { source: value }, null, 'x'],
      });
      // Undefined means the general parser reads it.
      const full = readFullRefs(entity) ?? parseDataProductRefs(entity).refs;
      expect(full).toEqual(parseDataProductRefs(entity).refs);
    },
  );

  it('takes the shortcut for full lower-case references only', () => {
    expect(
      readFullRefs(
        product({
          owner: 'group:default/sales-data',
          domain: 'domain:default/sales',
          inputPorts: [{ dataProduct: 'dataproduct:default/orders' }],
        }),
      ),
    ).toBeDefined();
    expect(readFullRefs(product({ owner: 'sales-data' }))).toBeUndefined();
    expect(
      readFullRefs(product({ owner: 'Group:default/sales-data' })),
    ).toBeUndefined();
  });

  it('gives the references as the catalog writes them', () => {
    for (const value of written) {
      const prepared = prepareProduct(
        product({ owner: value, inputPorts: [{ dataProduct: value }] }),
      );
      const { refs } = parseDataProductRefs(
        product({ owner: value, inputPorts: [{ dataProduct: value }] }),
      );
      expect(refsOf(prepared)).toEqual(refs);
      const expectedOwner = refs.owner
        ? `group:${refs.owner.namespace}/${refs.owner.name}`.toLowerCase()
        : undefined;
      expect(prepared.owner).toBe(expectedOwner);
      const upstream = refs.inputPorts[0].dataProduct;
      const expectedUpstream = upstream
        ? `dataproduct:${upstream.namespace}/${upstream.name}`.toLowerCase()
        : undefined;
      expect(prepared.inputPorts[0].dataProductRef).toBe(expectedUpstream);
      expect(upstreamRefOf({ dataProduct: value }, 'retail')).toBe(
        expectedUpstream,
      );
    }
  });
});
