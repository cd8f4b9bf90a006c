import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { asUser, startDataMeshBackend } from '../__testUtils__/backend';

jest.setTimeout(60_000);

/** What the unprocessed entities module keeps of a descriptor. */
function entry(
  entity: Record<string, unknown>,
  errors: Array<{ name: string; message: string }>,
  location = 'file:/repos/x/catalog-info.yaml',
  lastDiscoveryAt: string | null = null,
) {
  return {
    location_key: location,
    unprocessed_entity: entity,
    errors,
    last_discovery_at: lastDiscoveryAt,
  };
}

const nameError = {
  name: 'InputError',
  message:
    'Policy check failed for dataproduct:default/Returns Forecast; caused by Error: "metadata.name" is not valid',
};

const FAILED = [
  entry(
    {
      apiVersion: 'quanta.dev/v1alpha1',
      kind: 'DataProduct',
      metadata: { name: 'orders-v2' },
      spec: { owner: 'group:default/sales-data' },
    },
    [
      {
        name: 'InputError',
        message: 'spec.outputPorts: found a list of 20,000',
      },
    ],
  ),
  // Not a data product: another team's business.
  entry({ kind: 'Component', metadata: { name: 'x y' } }, [nameError]),
];
const PENDING = [
  entry(
    {
      kind: 'DataProduct',
      metadata: { name: 'Returns Forecast' },
      spec: { owner: 'sales-data' },
    },
    [nameError],
    'file:/repos/returns/catalog-info.yaml',
    // SQLite's form: UTC without a zone.
    '2026-12-01 09:30:00',
  ),
  // A wrong-case kind is one of the refusals.
  entry(
    {
      kind: 'dataProduct',
      metadata: { name: 'campaigns-v2', namespace: 'marketing' },
      spec: { owner: 'group:default/marketing' },
    },
    [{ name: 'NotAllowedError', message: 'kind dataProduct is not allowed' }],
  ),
  // Pending without errors: on its way, not refused.
  entry({ kind: 'DataProduct', metadata: { name: 'new-one' } }, []),
];

/** A stand-in for the catalog's unprocessed entities module. */
async function startCatalog(status = 200) {
  const seen: Array<{ url?: string; authorization?: string }> = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url, authorization: req.headers.authorization });
    const entities = req.url?.endsWith('/failed') ? FAILED : PENDING;
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(status === 200 ? { entities } : { error: {} }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const discovery = createServiceFactory({
    service: coreServices.discovery,
    deps: {},
    factory: () => ({
      getBaseUrl: async (pluginId: string) => `${url}/api/${pluginId}`,
      getExternalBaseUrl: async (pluginId: string) => `${url}/api/${pluginId}`,
    }),
  });
  return { server, discovery, seen };
}

describe('GET /descriptors/failed', () => {
  const servers: http.Server[] = [];
  afterAll(() => servers.forEach(s => s.close()));

  const start = async (
    status?: number,
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  ) => {
    const catalog = await startCatalog(status);
    servers.push(catalog.server);
    const { api } = await startDataMeshBackend({
      features: [catalog.discovery],
      permission,
    });
    return { api, seen: catalog.seen };
  };

  it('lists the DataProduct descriptors the catalog refused, with its reasons, by team', async () => {
    const { api, seen } = await start();
    const res = await api.get('/descriptors/failed');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      available: true,
      items: [
        {
          name: 'campaigns-v2',
          namespace: 'marketing',
          kind: 'dataProduct',
          owner: 'group:default/marketing',
          location: 'file:/repos/x/catalog-info.yaml',
          state: 'pending',
          errors: [
            {
              name: 'NotAllowedError',
              message: 'kind dataProduct is not allowed',
            },
          ],
        },
        expect.objectContaining({
          name: 'orders-v2',
          owner: 'group:default/sales-data',
          state: 'failed',
        }),
        expect.objectContaining({
          name: 'Returns Forecast',
          owner: 'sales-data',
          location: 'file:/repos/returns/catalog-info.yaml',
          state: 'pending',
          lastTriedAt: '2026-12-01T09:30:00.000Z',
          errors: [nameError],
        }),
      ],
    });
    // Asked on behalf of the user, so the catalog's own permissions apply.
    expect(seen.map(s => s.url)).toEqual([
      '/api/catalog/entities/unprocessed/failed',
      '/api/catalog/entities/unprocessed/pending',
    ]);
    expect(seen.every(s => /^Bearer \S+/.test(s.authorization ?? ''))).toBe(
      true,
    );

    // One team's, however the file spells the team.
    const team = await api.get(
      '/descriptors/failed?owner=group:default/sales-data',
    );
    expect(team.body.items.map((i: any) => i.name)).toEqual([
      'orders-v2',
      'Returns Forecast',
    ]);

    // One product's, for its page.
    const one = await api.get(
      '/descriptors/failed?entityRef=dataproduct:marketing/campaigns-v2',
    );
    expect(one.body.items.map((i: any) => i.name)).toEqual(['campaigns-v2']);
    const badRef = await api.get('/descriptors/failed?entityRef=orders');
    expect(badRef.status).toBe(400);
    expect(badRef.body.error.message).toBe(
      'query.entityRef: expected a product, such as dataproduct:default/orders',
    );
  });

  it('says so when the catalog has no unprocessed entities module', async () => {
    const { api } = await start(404);
    const res = await api.get('/descriptors/failed');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      available: false,
      reason:
        'The catalog lists no unprocessed entities: add @backstage/plugin-catalog-backend-module-unprocessed to the backend',
      items: [],
    });
  });

  it('is refused where the catalog or the scorecard permission refuses', async () => {
    const refusedByCatalog = await (
      await start(403)
    ).api.get('/descriptors/failed');
    expect(refusedByCatalog.status).toBe(403);
    const denied = await (
      await start(200, AuthorizeResult.DENY)
    ).api.get('/descriptors/failed');
    expect(denied.status).toBe(403);
    const bad = await (await start()).api
      .as(asUser)
      .get('/descriptors/failed?team=x');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('query: Unrecognized key: "team"');
  });
});
