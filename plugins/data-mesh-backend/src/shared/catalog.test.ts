import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readCatalog, readMesh } from './catalog';

const entity = (kind: string, name: string): Entity => ({
  apiVersion: 'quanta.dev/v1alpha1',
  kind,
  metadata: { name, etag: `${name}-1`, annotations: { a: 'b' } },
  spec: { owner: 'group:default/sales-data' },
});

const entities = [
  ...['orders', 'leads', 'returns', 'payments', 'customers'].map(name =>
    entity('DataProduct', name),
  ),
  entity('Group', 'sales-data'),
  entity('Domain', 'sales'),
  entity('Template', 'new-product'),
  entity('Location', 'root'),
];

/** A catalog that records every request it answers. */
function recordingCatalog() {
  const catalog = catalogServiceMock({ entities });
  const requests: any[] = [];
  const source = {
    catalog: {
      ...catalog,
      queryEntities: async (
        ...args: Parameters<typeof catalog.queryEntities>
      ) => {
        requests.push(args[0]);
        return catalog.queryEntities(...args);
      },
    } as typeof catalog,
    auth: mockServices.auth(),
  };
  return { source, requests };
}

describe('readCatalog', () => {
  it('reads every entity of a kind page by page, naming the fields on each page', async () => {
    const { source, requests } = recordingCatalog();
    const read: Entity[] = [];
    for await (const item of readCatalog(source, {
      kind: 'DataProduct',
      fields: ['kind', 'metadata.name', 'metadata.etag'],
      pageSize: 2,
    })) {
      read.push(item);
    }
    expect(read.map(e => e.metadata.name).sort()).toEqual([
      'customers',
      'leads',
      'orders',
      'payments',
      'returns',
    ]);
    expect(read[0]).toEqual({
      kind: 'DataProduct',
      metadata: { name: read[0].metadata.name, etag: expect.any(String) },
    });
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({
      filter: { kind: 'DataProduct' },
      limit: 2,
    });
    for (const request of requests.slice(1)) {
      expect(request).toEqual({
        cursor: expect.any(String),
        fields: ['kind', 'metadata.name', 'metadata.etag'],
        limit: 2,
      });
    }
  });

  it('reads whole entities when no fields are named', async () => {
    const { source, requests } = recordingCatalog();
    const read: Entity[] = [];
    for await (const item of readCatalog(source, {
      kind: ['Group', 'Domain'],
      pageSize: 500,
    })) {
      read.push(item);
    }
    expect(read.map(e => e.metadata.name).sort()).toEqual([
      'sales',
      'sales-data',
    ]);
    expect(read[0].spec).toEqual({ owner: 'group:default/sales-data' });
    expect(requests).toEqual([
      { filter: { kind: ['Group', 'Domain'] }, limit: 500 },
    ]);
  });
});

describe('readMesh', () => {
  it('reads data products and what they refer to, not the rest of the catalog', async () => {
    const { source } = recordingCatalog();
    const mesh = await readMesh(source);
    expect(mesh.map(e => e.kind).sort()).toEqual([
      'DataProduct',
      'DataProduct',
      'DataProduct',
      'DataProduct',
      'DataProduct',
      'Domain',
      'Group',
    ]);
  });
});
