import { MockFetchApi, mockApis } from '@backstage/test-utils';
import { DataMeshClient, DataMeshResponseError } from './DataMeshClient';
import {
  samplePolicies,
  samplePoliciesResponse,
  sampleScorecard,
} from '../testing/governance';

const BASE = 'http://backstage.test/api/data-mesh';

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function setup(respond: (url: string) => Response = () => json({})) {
  const calls: Array<{
    url: string;
    method: string;
    headers: Headers;
    body?: string;
  }> = [];
  const baseImplementation = jest.fn(
    async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input as RequestInfo, init);
      calls.push({
        url: request.url,
        method: request.method,
        headers: request.headers,
        body: request.method === 'POST' ? await request.text() : undefined,
      });
      return respond(request.url);
    },
  );
  const fetchApi = new MockFetchApi({
    baseImplementation: baseImplementation as any,
    injectIdentityAuth: { token: 'user-token' },
  });
  const discoveryApi = mockApis.discovery({
    baseUrl: 'http://backstage.test',
  });
  const client = new DataMeshClient({ discoveryApi, fetchApi });
  return { client, calls };
}

describe('DataMeshClient', () => {
  /** The scorecard as the backend sends it with policies=ids. */
  const withoutTexts = (card = sampleScorecard()) => ({
    ...card,
    results: card.results.map(({ policy: _policy, ...result }) => result),
  });
  const scorecardsAndPolicies =
    (policies = () => samplePoliciesResponse) =>
    (url: string) =>
      url.includes('/policies') ? json(policies()) : json(withoutTexts());

  it('reads a scorecard with the user token and puts each policy text beside its result', async () => {
    const { client, calls } = setup(scorecardsAndPolicies());

    await expect(
      client.getScorecard('dataproduct:default/Orders', { days: 30 }),
    ).resolves.toEqual(sampleScorecard());

    expect(calls.map(c => c.url).sort()).toEqual([
      `${BASE}/policies`,
      `${BASE}/scorecards/dataproduct/default/orders?days=30&policies=ids`,
    ]);
    for (const call of calls) {
      expect(call.headers.get('authorization')).toBe('Bearer user-token');
    }
  });

  it('takes compound references and short ones, and reads the policy texts once', async () => {
    const { client, calls } = setup(scorecardsAndPolicies());

    await client.getScorecard({
      kind: 'DataProduct',
      namespace: 'finance',
      name: 'ledger',
    });
    await client.getScorecard('orders');

    expect(
      calls.map(c => c.url).filter(u => u.includes('/scorecards')),
    ).toEqual([
      `${BASE}/scorecards/dataproduct/finance/ledger?policies=ids`,
      `${BASE}/scorecards/dataproduct/default/orders?policies=ids`,
    ]);
    expect(calls.filter(c => c.url.endsWith('/policies'))).toHaveLength(1);
  });

  it('reads the policy texts again when a result names a policy it has not seen, once', async () => {
    // The page read the policies before a deployment added the SLO policy
    // and removed the description policy (still in the last evaluation).
    let served = samplePolicies.filter(p => p.id !== 'quanta.slos-declared');
    let evaluated = withoutTexts();
    evaluated = {
      ...evaluated,
      results: evaluated.results.filter(
        r => r.policyId !== 'quanta.slos-declared',
      ),
    };
    const { client, calls } = setup(url =>
      url.includes('/policies')
        ? json({ ...samplePoliciesResponse, policies: served })
        : json(evaluated),
    );
    await client.getScorecard('orders');
    served = samplePolicies.filter(p => p.id !== 'quanta.description');
    evaluated = withoutTexts();

    const card = await client.getScorecard('orders');
    const again = await client.getScorecard('orders');

    const titles = (c: typeof card) =>
      c!.results.map(r => [r.policyId, r.policy?.title]);
    expect(titles(card)).toEqual([
      ['quanta.owner-exists', 'Owner exists in the catalog'],
      ['quanta.slos-declared', 'SLOs are declared'],
      ['quanta.output-port-address', 'Every output port has an address'],
      ['quanta.description', undefined],
    ]);
    expect(titles(again)).toEqual(titles(card));
    // First card, the card with a new policy; the removed one asks no more.
    expect(calls.filter(c => c.url.endsWith('/policies'))).toHaveLength(2);
  });

  it('asks for the policy texts again after a failed read', async () => {
    let fail = true;
    const { client } = setup(url =>
      url.includes('/policies') && fail
        ? json({ error: { name: 'Error', message: 'database gone' } }, 503)
        : scorecardsAndPolicies()(url),
    );

    await expect(client.getScorecard('orders')).rejects.toThrow(/503/);
    fail = false;
    await expect(client.getScorecard('orders')).resolves.toEqual(
      sampleScorecard(),
    );
  });

  it('answers undefined for a product not evaluated yet', async () => {
    const { client } = setup(url =>
      url.includes('/scorecards')
        ? json(
            { error: { name: 'NotFoundError', message: 'No scorecard' } },
            404,
          )
        : json(samplePoliciesResponse),
    );

    await expect(client.getScorecard('orders')).resolves.toBeUndefined();
  });

  it('throws the server message on other errors', async () => {
    const { client } = setup(() =>
      json(
        {
          error: {
            name: 'NotAllowedError',
            message: 'Not allowed: data-mesh.scorecard.read',
          },
        },
        403,
      ),
    );

    const error = await client.listScorecards().catch(e => e);
    expect(error).toBeInstanceOf(DataMeshResponseError);
    expect(error.name).toBe('NotAllowedError');
    expect(error.statusCode).toBe(403);
    expect(error.message).toContain('Not allowed: data-mesh.scorecard.read');
  });

  it('names the status when the error body is not JSON', async () => {
    const { client } = setup(
      () => new Response('<html>Bad gateway</html>', { status: 502 }),
    );

    await expect(client.getPolicies()).rejects.toThrow(
      /Request failed with 502/,
    );
  });

  it('builds list, roll-up, adoption, run and waiver URLs', async () => {
    const { client, calls } = setup(() => json({ items: [], totalItems: 0 }));

    await client.listScorecards({
      owner: 'group:default/sales-data',
      level: 'none',
      limit: 50,
      offset: 100,
    });
    await client.listScorecards({ domain: 'domain:default/sales' });
    await client.listScorecards();
    await client.getRollups('domain', { days: 7 });
    await client.getRollups('owner', { key: 'group:default/sales-data' });
    await client.getAdoption({ days: 90 });
    await client.getPolicies();
    await client.listRuns({ limit: 1 });
    await client.listWaivers({ entityRef: 'dataproduct:default/orders' });
    await client.listFailedDescriptors();
    await client.listFailedDescriptors({ owner: 'group:default/sales-data' });
    await client.listFailedDescriptors({
      entityRef: 'dataproduct:default/orders',
    });
    await client.listFailedDescriptors({
      owner: 'group:default/sales-data',
      entityRef: 'dataproduct:default/orders',
    });

    expect(calls.map(c => c.url)).toEqual([
      `${BASE}/scorecards?owner=group%3Adefault%2Fsales-data&level=none&limit=50&offset=100`,
      `${BASE}/scorecards?domain=domain%3Adefault%2Fsales`,
      `${BASE}/scorecards`,
      `${BASE}/rollups/domain?days=7`,
      `${BASE}/rollups/owner?key=group%3Adefault%2Fsales-data`,
      `${BASE}/adoption?days=90`,
      `${BASE}/policies`,
      `${BASE}/runs?limit=1`,
      `${BASE}/waivers?entityRef=dataproduct%3Adefault%2Forders`,
      `${BASE}/descriptors/failed`,
      `${BASE}/descriptors/failed?owner=group%3Adefault%2Fsales-data`,
      `${BASE}/descriptors/failed?entityRef=dataproduct%3Adefault%2Forders`,
      `${BASE}/descriptors/failed?owner=group%3Adefault%2Fsales-data&entityRef=dataproduct%3Adefault%2Forders`,
    ]);
    expect(
      calls.every(c => c.headers.get('authorization') === 'Bearer user-token'),
    ).toBe(true);
  });

  it('starts an evaluation of one product', async () => {
    const run = {
      id: 8,
      trigger: 'api',
      status: 'completed',
      startedAt: '2026-11-20T10:00:00.000Z',
    };
    const { client, calls } = setup(() => json({ started: true, run }, 201));

    await expect(
      client.evaluate({ entityRef: 'dataproduct:default/orders' }),
    ).resolves.toEqual({ started: true, run });
    expect(calls[0]).toMatchObject({
      url: `${BASE}/evaluations`,
      method: 'POST',
      body: '{"entityRef":"dataproduct:default/orders"}',
    });
    expect(calls[0].headers.get('content-type')).toBe('application/json');
  });

  it('reports an evaluation already running as not started', async () => {
    const run = {
      id: 7,
      trigger: 'schedule',
      status: 'running',
      startedAt: '2026-11-20T09:59:00.000Z',
    };
    const { client, calls } = setup(() => json({ started: false, run }, 409));

    await expect(client.evaluate()).resolves.toEqual({ started: false, run });
    expect(calls[0].body).toBe('{}');
  });
});

describe('DataMeshClient errors', () => {
  const denied = () =>
    new Response(
      JSON.stringify({
        error: {
          name: 'NotAllowedError',
          message: 'Not allowed: data-mesh.read',
        },
      }),
      {
        status: 403,
        statusText: 'Forbidden',
        headers: { 'Content-Type': 'application/json' },
      },
    );

  it.each<[string, (client: DataMeshClient) => Promise<unknown>]>([
    ['getScorecard', c => c.getScorecard('orders')],
    ['listScorecards', c => c.listScorecards()],
    ['getRollups', c => c.getRollups('domain')],
    ['getAdoption', c => c.getAdoption()],
    ['getPolicies', c => c.getPolicies()],
    ['listRuns', c => c.listRuns()],
    ['evaluate', c => c.evaluate()],
    ['listWaivers', c => c.listWaivers()],
    ['getLineage', c => c.getLineage('orders')],
    ['getMeshLineage', c => c.getMeshLineage()],
    ['listUnmappedDatasets', c => c.listUnmappedDatasets()],
  ])('%s throws the backend error with its message', async (_name, call) => {
    const { client } = setup(denied);

    const error = (await call(client).catch(e => e)) as DataMeshResponseError;
    expect(error).toBeInstanceOf(DataMeshResponseError);
    expect(error.name).toBe('NotAllowedError');
    expect(error.statusCode).toBe(403);
    expect(error.message).toBe(
      'Request failed with 403 Forbidden: Not allowed: data-mesh.read',
    );
  });
});

describe('DataMeshClient lineage', () => {
  it('asks for the lineage of one entity with depth and limit, undefined on 404', async () => {
    const { client, calls } = setup(url =>
      url.includes('/nope')
        ? json({ error: { name: 'NotFoundError', message: 'No lineage' } }, 404)
        : json({ entityRef: 'dataproduct:default/orders', nodes: [] }),
    );
    await expect(
      client.getLineage('dataproduct:default/Orders', {
        upstream: 2,
        downstream: 0,
        limit: 50,
      }),
    ).resolves.toMatchObject({ entityRef: 'dataproduct:default/orders' });
    await expect(client.getLineage('nope')).resolves.toBeUndefined();
    await client.getMeshLineage({ groupBy: 'domain' });
    await client.listUnmappedDatasets({ limit: 10, offset: 20 });
    expect(calls.map(c => c.url)).toEqual([
      `${BASE}/lineage/dataproduct/default/orders?upstream=2&downstream=0&limit=50`,
      `${BASE}/lineage/dataproduct/default/nope`,
      `${BASE}/lineage/mesh?groupBy=domain`,
      `${BASE}/lineage/unmapped?limit=10&offset=20`,
    ]);
  });
});

describe('DataMeshClient contracts', () => {
  it('asks for the contracts of a data product by namespace and name, undefined on 404', async () => {
    const answer = { entityRef: 'dataproduct:finance/ledger', ports: [] };
    const { client, calls } = setup(url =>
      url.endsWith('/nope')
        ? json({ error: { name: 'NotFoundError', message: 'No product' } }, 404)
        : json(answer),
    );
    await expect(
      client.getContracts('dataproduct:Finance/Ledger'),
    ).resolves.toEqual(answer);
    await expect(client.getContracts('nope')).resolves.toBeUndefined();
    await client.getContracts({
      kind: 'DataProduct',
      namespace: 'default',
      name: 'a b',
    });
    expect(calls.map(c => c.url)).toEqual([
      `${BASE}/contracts/finance/ledger`,
      `${BASE}/contracts/default/nope`,
      `${BASE}/contracts/default/a%20b`,
    ]);
    expect(calls[0].headers.get('authorization')).toBe('Bearer user-token');
  });

  it('posts a proposed contract to the impact check', async () => {
    const answer = { entityRef: 'dataproduct:default/orders', changes: [] };
    const { client, calls } = setup(() => json(answer));
    const request = {
      entityRef: 'dataproduct:default/orders',
      port: 'orders-table',
      contract: 'apiVersion: v3.1.0\n',
    };
    await expect(client.checkContractImpact(request)).resolves.toEqual(answer);
    expect(calls.map(c => [c.url, c.method])).toEqual([
      [`${BASE}/contracts/impact`, 'POST'],
    ]);
    expect(JSON.parse(calls[0].body!)).toEqual(request);
  });

  it('refuses an entity that is no data product without a request', async () => {
    const { client, calls } = setup();
    await expect(
      client.getContracts('component:default/orders'),
    ).rejects.toThrow(
      'Contracts belong to data products; got an entity of kind component, pass a dataproduct:namespace/name reference',
    );
    expect(calls).toHaveLength(0);
  });

  it('throws the backend error with its message', async () => {
    const { client } = setup(() =>
      json({ error: { name: 'NotAllowedError', message: 'Not allowed' } }, 403),
    );
    await expect(client.getContracts('orders')).rejects.toMatchObject({
      name: 'NotAllowedError',
      statusCode: 403,
    });
  });
});

describe('DataMeshClient access', () => {
  const request = {
    id: '5f0c6a1e-9a7b-4a53-8a0e-2f4f3c1d2b10',
    entityRef: 'dataproduct:default/orders',
    port: 'orders-table',
    requester: 'user:default/jane.doe',
    consumer: 'component:default/churn-model',
    purpose: 'Train the churn model on last year’s orders',
    endDate: '2026-06-30',
    status: 'pending',
    sensitivity: { containsPii: true, autoApproved: false },
    createdAt: '2026-03-10T09:00:00.000Z',
    updatedAt: '2026-03-10T09:00:00.000Z',
    provisioning: { status: 'none', attempts: 0 },
  };

  it('reads the ports of a data product by namespace and name, undefined on 404', async () => {
    const answer = { entityRef: 'dataproduct:finance/ledger', ports: [] };
    const { client, calls } = setup(url =>
      url.endsWith('/nope')
        ? json({ error: { name: 'NotFoundError', message: 'No product' } }, 404)
        : json(answer),
    );
    await expect(
      client.getAccessPorts('dataproduct:Finance/Ledger'),
    ).resolves.toEqual(answer);
    await expect(client.getAccessPorts('nope')).resolves.toBeUndefined();
    await expect(
      client.getAccessPorts('component:default/orders'),
    ).rejects.toThrow(
      'Output ports belong to data products; got an entity of kind component, pass a dataproduct:namespace/name reference',
    );
    expect(calls.map(c => c.url)).toEqual([
      `${BASE}/access/ports/finance/ledger`,
      `${BASE}/access/ports/default/nope`,
    ]);
    expect(calls[0].headers.get('authorization')).toBe('Bearer user-token');
  });

  it('posts a request exactly as given and answers the stored request', async () => {
    const { client, calls } = setup(() => json(request, 201));
    const input = {
      entityRef: 'dataproduct:default/orders',
      port: 'orders-table',
      consumer: 'component:default/churn-model',
      purpose: 'Train the churn model on last year’s orders',
      endDate: '2026-06-30',
    };
    await expect(client.requestAccess(input)).resolves.toEqual(request);
    expect(calls.map(c => [c.url, c.method])).toEqual([
      [`${BASE}/access/requests`, 'POST'],
    ]);
    expect(JSON.parse(calls[0].body!)).toEqual(input);
    expect(calls[0].headers.get('content-type')).toBe('application/json');
  });

  it('builds the list, inbox and grant URLs', async () => {
    const { client, calls } = setup(url =>
      url.endsWith('/missing')
        ? json({ error: { name: 'NotFoundError', message: 'No request' } }, 404)
        : json(
            url.includes('/requests/') ? request : { items: [], totalItems: 0 },
          ),
    );
    await client.listAccessRequests();
    await client.listAccessRequests({
      entityRef: 'dataproduct:default/orders',
      status: 'pending',
      consumer: 'component:default/churn-model',
      requester: 'me',
      limit: 20,
      offset: 40,
    });
    await expect(client.getAccessRequest(request.id)).resolves.toEqual(request);
    await expect(client.getAccessRequest('missing')).resolves.toBeUndefined();
    await client.getAccessInbox();
    await client.listAccessGrants();
    await client.listAccessGrants({ entityRef: 'dataproduct:default/orders' });
    await client.getAccessAdoption();
    await client.getAccessAdoption({ days: 30 });

    expect(calls.map(c => c.url)).toEqual([
      `${BASE}/access/requests`,
      `${BASE}/access/requests?entityRef=dataproduct%3Adefault%2Forders&status=pending&consumer=component%3Adefault%2Fchurn-model&requester=me&limit=20&offset=40`,
      `${BASE}/access/requests/${request.id}`,
      `${BASE}/access/requests/missing`,
      `${BASE}/access/inbox`,
      `${BASE}/access/grants`,
      `${BASE}/access/grants?entityRef=dataproduct%3Adefault%2Forders`,
      `${BASE}/access/adoption`,
      `${BASE}/access/adoption?days=30`,
    ]);
    expect(calls.every(c => c.method === 'GET')).toBe(true);
  });

  it('posts decisions with their reason to the decision route', async () => {
    const { client, calls } = setup(() => json({ ...request, status: 'x' }));
    await client.decideAccessRequest(request.id, 'approve');
    await client.decideAccessRequest(request.id, 'approve', {
      reason: ' Fine for the churn model ',
    });
    await client.decideAccessRequest(request.id, 'deny', {
      reason: 'Use the anonymised port',
    });
    await client.decideAccessRequest('a/b', 'revoke', {
      reason: 'The model was retired',
    });
    expect(calls.map(c => [c.method, c.url, c.body])).toEqual([
      ['POST', `${BASE}/access/requests/${request.id}/approve`, '{}'],
      [
        'POST',
        `${BASE}/access/requests/${request.id}/approve`,
        '{"reason":"Fine for the churn model"}',
      ],
      [
        'POST',
        `${BASE}/access/requests/${request.id}/deny`,
        '{"reason":"Use the anonymised port"}',
      ],
      [
        'POST',
        `${BASE}/access/requests/a%2Fb/revoke`,
        '{"reason":"The model was retired"}',
      ],
    ]);
  });

  it('refuses to deny or revoke without a reason, without a request', async () => {
    const { client, calls } = setup();
    await expect(
      client.decideAccessRequest(request.id, 'deny', { reason: '  ' }),
    ).rejects.toThrow(
      'reason: give a reason to deny an access request; the requester reads it',
    );
    await expect(
      client.decideAccessRequest(request.id, 'revoke'),
    ).rejects.toThrow(
      'reason: give a reason to revoke access; the requester reads it',
    );
    expect(calls).toHaveLength(0);
  });

  it.each<[string, number, (client: DataMeshClient) => Promise<unknown>]>([
    ['requestAccess', 400, c => c.requestAccess({} as any)],
    ['requestAccess', 409, c => c.requestAccess({} as any)],
    ['listAccessRequests', 403, c => c.listAccessRequests()],
    ['getAccessRequest', 403, c => c.getAccessRequest('x')],
    ['getAccessInbox', 403, c => c.getAccessInbox()],
    ['decideAccessRequest', 403, c => c.decideAccessRequest('x', 'approve')],
    [
      'decideAccessRequest',
      409,
      c => c.decideAccessRequest('x', 'revoke', { reason: 'done' }),
    ],
    ['listAccessGrants', 403, c => c.listAccessGrants()],
    ['getAccessPorts', 403, c => c.getAccessPorts('orders')],
  ])('%s throws the backend message of a %i', async (_name, status, call) => {
    const message = `the backend's words for ${status}`;
    const { client } = setup(() =>
      json({ error: { name: 'SomeError', message } }, status),
    );
    const error = (await call(client).catch(e => e)) as DataMeshResponseError;
    expect(error).toBeInstanceOf(DataMeshResponseError);
    expect(error.statusCode).toBe(status);
    expect(error.message).toBe(`Request failed with ${status}: ${message}`);
  });
});
