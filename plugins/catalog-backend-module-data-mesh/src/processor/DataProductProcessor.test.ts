import type { Entity } from '@backstage/catalog-model';
import type { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { mockServices } from '@backstage/backend-test-utils';
import { DataProductProcessor } from './DataProductProcessor';

const location = {
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};

function product(spec: Record<string, unknown> = {}): Entity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name: 'orders', namespace: 'default' },
    spec: {
      type: 'aggregate',
      lifecycle: 'production',
      owner: 'sales-data',
      productOwner: 'maria.silva',
      domain: 'sales',
      system: 'checkout',
      inputPorts: [
        { name: 'customers', dataProduct: 'customers', outputPort: 'table' },
        { name: 'orders-db', source: 'resource:default/orders-db' },
      ],
      outputPorts: [
        {
          name: 'table',
          type: 'table',
          format: 'delta',
          address: 's3://lake/orders/',
        },
      ],
      ...spec,
    },
  };
}

async function processEntity(
  entity: Entity,
  readServedVersion?: (ref: string) => Promise<Entity | undefined>,
) {
  const emitted: CatalogProcessorResult[] = [];
  const processor = new DataProductProcessor({
    logger: mockServices.logger.mock(),
    readServedVersion,
  });
  const result = await processor.postProcessEntity(entity, location, r =>
    emitted.push(r),
  );
  const relations = emitted.flatMap(r =>
    r.type === 'relation'
      ? [
          `${r.relation.source.kind}:${r.relation.source.namespace}/${r.relation.source.name} ${r.relation.type} ${r.relation.target.kind}:${r.relation.target.namespace}/${r.relation.target.name}`,
        ]
      : [],
  );
  const errors = emitted.filter(r => r.type === 'error');
  return { result: result as any, relations, errors };
}

describe('DataProductProcessor', () => {
  const processor = new DataProductProcessor();

  it('claims the DataProduct kind and nothing else', async () => {
    await expect(processor.validateEntityKind(product())).resolves.toBe(true);
    await expect(
      processor.validateEntityKind({ ...product(), kind: 'Component' }),
    ).resolves.toBe(false);
  });

  it('emits every relation in both directions', async () => {
    const { relations, errors } = await processEntity(product());
    expect(errors).toEqual([]);
    expect(relations.sort()).toEqual(
      [
        'dataproduct:default/orders ownedBy group:default/sales-data',
        'group:default/sales-data ownerOf dataproduct:default/orders',
        'dataproduct:default/orders hasProductOwner user:default/maria.silva',
        'user:default/maria.silva productOwnerOf dataproduct:default/orders',
        'dataproduct:default/orders partOf domain:default/sales',
        'domain:default/sales hasPart dataproduct:default/orders',
        'dataproduct:default/orders partOf system:default/checkout',
        'system:default/checkout hasPart dataproduct:default/orders',
        'dataproduct:default/orders dependsOn dataproduct:default/customers',
        'dataproduct:default/customers dependencyOf dataproduct:default/orders',
        'dataproduct:default/orders dependsOn resource:default/orders-db',
        'resource:default/orders-db dependencyOf dataproduct:default/orders',
      ].sort(),
    );
  });

  it('stamps the global address and leaves a valid product without errors', async () => {
    const { result } = await processEntity(product());
    expect(result.metadata.annotations['quanta.dev/address']).toBe(
      'dataproduct://default/orders',
    );
    expect(result.status).toBeUndefined();
  });

  it('keeps an invalid product, with each problem as an error on its status', async () => {
    const { result, errors, relations } = await processEntity(
      product({ type: 'raw', slos: { freshness: '1 hour' } }),
    );
    // Not a processing failure: the product must stay visible with its errors.
    expect(errors).toEqual([]);
    expect(result.metadata.name).toBe('orders');
    expect(result.status.items).toEqual([
      {
        type: 'backstage.io/catalog-processing',
        level: 'error',
        message:
          'InputError: spec.type: found "raw", expected one of source-aligned, aggregate, consumer-aligned',
        error: {
          name: 'InputError',
          message:
            'spec.type: found "raw", expected one of source-aligned, aggregate, consumer-aligned',
        },
      },
      {
        type: 'backstage.io/catalog-processing',
        level: 'error',
        message:
          'InputError: spec.slos.freshness: found "1 hour", expected an ISO-8601 duration such as PT1H, P1D or P2Y',
        error: {
          name: 'InputError',
          message:
            'spec.slos.freshness: found "1 hour", expected an ISO-8601 duration such as PT1H, P1D or P2Y',
        },
      },
    ]);
    // Ownership still shows on the team's page while the descriptor is fixed.
    expect(relations).toContain(
      'dataproduct:default/orders ownedBy group:default/sales-data',
    );
  });

  it('skips relations for references of the wrong kind and reports them', async () => {
    const { result, relations } = await processEntity(
      product({ owner: 'user:default/maria.silva' }),
    );
    expect(relations.filter(r => r.includes('ownedBy'))).toEqual([]);
    expect(result.status.items.map((i: any) => i.error.message)).toEqual([
      'spec.owner: found "user:default/maria.silva", a reference to a user, expected a Group entity reference, such as group:default/sales-data',
    ]);
  });

  it('reports an unknown apiVersion', async () => {
    const { result } = await processEntity({
      ...product(),
      apiVersion: 'quanta.dev/v1',
    });
    expect(result.status.items.map((i: any) => i.error.message)).toEqual([
      'apiVersion: found "quanta.dev/v1", expected quanta.dev/v1alpha1',
    ]);
  });

  it('leaves other kinds untouched', async () => {
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'orders-service' },
      spec: { type: 'service', owner: 'sales-data', lifecycle: 'production' },
    };
    const { result, relations } = await processEntity(component);
    expect(result).toBe(component);
    expect(relations).toEqual([]);
  });

  describe('an edit with problems, when the served version can be read', () => {
    const broken = product({
      owner: 42,
      outputPorts: [
        { name: 'table', type: 'tabel', format: 'delta', address: 's3://x/' },
      ],
    });
    /** The served version as the catalog's API returns it: with uid, etag, relations and stitched status. */
    const served = (entity: Entity): Entity =>
      ({
        ...entity,
        metadata: {
          ...entity.metadata,
          uid: '1c3f',
          etag: 'abc',
          annotations: {
            'backstage.io/managed-by-location': 'url:https://example.com/x',
            'quanta.dev/address': 'dataproduct://default/orders',
          },
        },
        relations: [{ type: 'ownedBy', targetRef: 'group:default/sales-data' }],
        status: {
          items: [
            {
              type: 'backstage.io/catalog-processing',
              level: 'error',
              message: 'InputError: earlier',
            },
          ],
        },
      } as Entity);

    it('is not applied over a valid served version: its problems fail the processing, after one saying so', async () => {
      const asked: string[] = [];
      const { errors, relations } = await processEntity(broken, async ref => {
        asked.push(ref);
        return served(product());
      });
      expect(asked).toEqual(['dataproduct:default/orders']);
      // No relation from the broken edit: the catalog keeps the served ones.
      expect(relations).toEqual([]);
      expect(errors.map(e => (e as any).error.message)).toEqual([
        expect.stringMatching(
          /^This edit of dataproduct:default\/orders was not applied: .*keeps serving the last valid version/,
        ),
        expect.stringMatching(/^spec\.owner: found number 42/),
        expect.stringMatching(/^spec\.outputPorts\[0\]\.type: found "tabel"/),
      ]);
      expect(errors.every(e => (e as any).error.name === 'InputError')).toBe(
        true,
      );
    });

    it('is stored with its problems when the product is new or its served version is broken too', async () => {
      for (const read of [
        async () => undefined,
        async () => served(product({ lifecycle: 'sunsetting' })),
        async () => ({ ...served(product()), apiVersion: 'quanta.dev/v0' }),
      ]) {
        const { errors, result, relations } = await processEntity(broken, read);
        expect(errors).toEqual([]);
        expect(result.status.items.map((i: any) => i.error.message)).toEqual([
          expect.stringMatching(/^spec\.owner/),
          expect.stringMatching(/^spec\.outputPorts\[0\]\.type/),
        ]);
        expect(relations.length).toBeGreaterThan(0);
      }
    });

    it('fails the processing when the served version cannot be read, so a valid version is never replaced blindly', async () => {
      const { errors } = await processEntity(broken, async () => {
        throw new Error('connect ECONNREFUSED\n[ERROR] forged');
      });
      expect(errors.map(e => (e as any).error.message)).toEqual([
        expect.stringContaining(
          'The served version of dataproduct:default/orders could not be read',
        ),
        expect.stringMatching(/^spec\.owner/),
        expect.stringMatching(/^spec\.outputPorts\[0\]\.type/),
      ]);
      // The reason is echoed escaped, on one line.
      expect((errors[0] as any).error.message).toContain(
        'ECONNREFUSED\\n[ERROR] forged',
      );
    });

    it('is never asked for a valid edit', async () => {
      const read = jest.fn();
      const { errors } = await processEntity(product(), read);
      expect(errors).toEqual([]);
      expect(read).not.toHaveBeenCalled();
    });
  });
});
