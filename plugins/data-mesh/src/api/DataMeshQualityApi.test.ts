import { MockFetchApi, mockApis } from '@backstage/test-utils';
import { DataMeshQualityClient } from './DataMeshQualityApi';
import { DataMeshResponseError } from './DataMeshClient';

const BASE = 'http://backstage.test/api/data-mesh';

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function setup(respond: (url: string) => Response) {
  const urls: string[] = [];
  const fetchApi = new MockFetchApi({
    baseImplementation: (async (input: RequestInfo | URL) => {
      const url = new Request(input as RequestInfo).url;
      urls.push(url);
      return respond(url);
    }) as any,
  });
  const discoveryApi = mockApis.discovery({
    baseUrl: 'http://backstage.test',
  });
  return {
    client: new DataMeshQualityClient({ discoveryApi, fetchApi }),
    urls,
  };
}

describe('DataMeshQualityClient', () => {
  it('reads the quality of a product and the breaches', async () => {
    const { client, urls } = setup(() => json({ ok: true }));

    await expect(
      client.getQuality('dataproduct:Sales/Orders'),
    ).resolves.toEqual({ ok: true });
    await client.getQuality({
      kind: 'DataProduct',
      namespace: 'default',
      name: 'ledger',
    });
    await client.getQualityBreaches();

    expect(urls).toEqual([
      `${BASE}/quality/dataproduct/sales/orders`,
      `${BASE}/quality/dataproduct/default/ledger`,
      `${BASE}/quality/breaches`,
    ]);
  });

  it('answers undefined for an entity that is not a data product', async () => {
    const { client } = setup(() =>
      json({ error: { name: 'NotFoundError', message: 'Unknown' } }, 404),
    );

    await expect(client.getQuality('orders')).resolves.toBeUndefined();
  });

  it.each<[string, (client: DataMeshQualityClient) => Promise<unknown>]>([
    ['getQuality', c => c.getQuality('orders')],
    ['getQualityBreaches', c => c.getQualityBreaches()],
  ])('%s throws the backend error with its message', async (_name, call) => {
    const { client } = setup(
      () =>
        new Response(
          JSON.stringify({
            error: { name: 'NotAllowedError', message: 'Not allowed' },
          }),
          { status: 403, statusText: 'Forbidden' },
        ),
    );

    const error = (await call(client).catch(e => e)) as DataMeshResponseError;
    expect(error).toBeInstanceOf(DataMeshResponseError);
    expect(error.name).toBe('NotAllowedError');
    expect(error.statusCode).toBe(403);
    expect(error.message).toBe(
      'Request failed with 403 Forbidden: Not allowed',
    );
  });

  it('names the status when the error body is not JSON', async () => {
    const { client } = setup(
      () => new Response('<html>Bad gateway</html>', { status: 502 }),
    );

    await expect(client.getQualityBreaches()).rejects.toThrow(
      /Request failed with 502/,
    );
  });
});
