import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DATA_MESH_PRODUCT_RESOURCE_TYPE,
  type DataProductEntity,
  dataMeshAccessApprovePermission,
} from '@quanta/plugin-data-mesh-common';
import {
  createDataMeshProductConditionalDecision,
  dataMeshProductConditions,
  dataMeshProductPermissionResourceRef,
  isProductOwner,
} from './accessPermissions';

function product(
  spec: Partial<DataProductEntity['spec']>,
  namespace?: string,
): DataProductEntity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name: 'orders', ...(namespace ? { namespace } : {}) },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'group:default/sales-data',
      domain: 'domain:default/sales',
      outputPorts: [],
      ...spec,
    },
  };
}

describe('IS_PRODUCT_OWNER', () => {
  const owns = (entity: DataProductEntity, claims: string[]) =>
    isProductOwner.apply(entity, { claims });

  it('holds for a member of the owning group and for the product owner, and for nobody else', () => {
    const orders = product({ productOwner: 'user:default/ines.costa' });
    expect(
      owns(orders, ['user:default/omar', 'group:default/sales-data']),
    ).toBe(true);
    expect(owns(orders, ['user:default/ines.costa'])).toBe(true);
    expect(
      owns(orders, ['user:default/maria', 'group:default/marketing']),
    ).toBe(false);
    expect(owns(orders, [])).toBe(false);
  });

  it('compares entity references regardless of case', () => {
    const orders = product({
      owner: 'Group:default/Sales-Data',
      productOwner: 'user:default/Ines.Costa',
    });
    expect(owns(orders, ['group:default/sales-data'])).toBe(true);
    expect(owns(orders, ['USER:DEFAULT/INES.COSTA'])).toBe(true);
  });

  it('reads short owner references with the kinds and namespace they stand for', () => {
    const orders = product(
      { owner: 'sales-data', productOwner: 'ines.costa' },
      'retail',
    );
    expect(owns(orders, ['group:retail/sales-data'])).toBe(true);
    expect(owns(orders, ['user:retail/ines.costa'])).toBe(true);
    // The same names elsewhere are other entities.
    expect(owns(orders, ['group:default/sales-data'])).toBe(false);
    expect(owns(orders, ['user:retail/sales-data'])).toBe(false);
  });

  it('never holds for a product without owners or for claims that are no references', () => {
    const ownerless = product({ owner: '' as string });
    expect(owns(ownerless, ['group:default/sales-data', ''])).toBe(false);
    expect(owns(product({}), ['not a ref/with/slashes'])).toBe(false);
  });

  it('describes its parameters for policy editors, and refuses others', () => {
    const schema = (isProductOwner as any).paramsSchema['~standard'];
    expect(schema.validate({ claims: ['group:default/a'] }).issues).toBe(
      undefined,
    );
    expect(schema.validate({ claims: 'group:default/a' }).issues).toHaveLength(
      1,
    );
    expect(schema.jsonSchema.input({ target: 'draft-07' })).toMatchObject({
      type: 'object',
      properties: { claims: { type: 'array', items: { type: 'string' } } },
      required: ['claims'],
    });
  });
});

describe('condition exports', () => {
  it('build the conditional decision a policy returns for the approve permission', () => {
    const decision = createDataMeshProductConditionalDecision(
      dataMeshAccessApprovePermission,
      dataMeshProductConditions.isProductOwner({
        claims: ['user:default/ines.costa', 'group:default/sales-data'],
      }),
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'data-mesh',
      resourceType: DATA_MESH_PRODUCT_RESOURCE_TYPE,
      conditions: {
        rule: 'IS_PRODUCT_OWNER',
        resourceType: DATA_MESH_PRODUCT_RESOURCE_TYPE,
        params: {
          claims: ['user:default/ines.costa', 'group:default/sales-data'],
        },
      },
    });
    expect(dataMeshProductPermissionResourceRef).toMatchObject({
      pluginId: 'data-mesh',
      resourceType: DATA_MESH_PRODUCT_RESOURCE_TYPE,
    });
  });

  it('translate the rule to a query on both owner fields', () => {
    expect(isProductOwner.toQuery({ claims: ['group:default/a'] })).toEqual({
      anyOf: [
        { key: 'spec.owner', values: ['group:default/a'] },
        { key: 'spec.productOwner', values: ['group:default/a'] },
      ],
    });
  });
});
