import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { ContractImpactResponse } from '@quanta/plugin-data-mesh-common';
import { createContractImpactAction } from './contractImpact';

/** What the stand-in data-mesh backend received. */
type Received = {
  method?: string;
  url?: string;
  authorization?: string;
  contentType?: string;
  body: any;
};

/** The stand-in backend's next answer. */
let reply: { status: number; body: unknown };
const received: Received[] = [];
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', chunk => {
      text += chunk;
    });
    req.on('end', () => {
      received.push({
        method: req.method,
        url: req.url,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: text ? JSON.parse(text) : undefined,
      });
      res.statusCode = reply.status;
      if (typeof reply.body === 'string') {
        res.setHeader('Content-Type', 'text/html');
        res.end(reply.body);
      } else {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(reply.body));
      }
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/api/data-mesh`;
});

afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));

const mockDir = createMockDirectory();
const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-outside-'));
afterAll(() => fs.rmSync(outside, { recursive: true, force: true }));

beforeEach(() => {
  mockDir.clear();
  received.length = 0;
});

const PROPOSED = `apiVersion: v3.1.0
kind: DataContract
id: dataproduct://default/orders/orders-table
version: 1.3.0
status: active
schema:
  - name: orders
    properties:
      - name: order_id
        logicalType: string
      - name: total
        logicalType: number
`;

/** A breaking change that reaches one consumer of three, and a version that does not fit it. */
function breakingImpact(): ContractImpactResponse {
  return {
    entityRef: 'dataproduct:default/orders',
    port: 'orders-table',
    current: { version: '1.2.0', digest: 'sha256:aaa' },
    proposed: { version: '1.3.0', apiVersion: 'v3.1.0', problems: [] },
    changes: [
      {
        rule: 'field-removed',
        level: 'breaking',
        path: 'schema.orders.properties.customer_id',
        object: 'orders',
        field: 'customer_id',
        message: 'Removed field customer_id from orders',
        before: { name: 'customer_id', logicalType: 'string' },
      },
      {
        rule: 'field-added',
        level: 'compatible',
        path: 'schema.orders.properties.total',
        object: 'orders',
        field: 'total',
        message: 'Added field total to orders',
        after: { name: 'total', logicalType: 'number' },
      },
    ],
    requiredVersionBump: 'major',
    versionProblem:
      'breaking changes need a new major version: 1.2.0 -> 1.3.0 is not one',
    consumers: [
      {
        entityRef: 'dataproduct:default/daily-sales',
        title: 'Daily sales',
        owner: { ref: 'group:default/sales-data', title: 'Sales Data' },
        via: ['declared'],
        fields: ['order_id', 'total'],
        affectedBy: [],
      },
      {
        entityRef: 'dataproduct:default/customer-360',
        title: 'Customer 360 | <b>CRM</b>',
        owner: { ref: 'group:default/crm-data', title: 'CRM Data' },
        via: ['declared', 'observed'],
        fields: ['customer_id', 'order_id'],
        affectedBy: ['Removed field customer_id from orders'],
      },
      {
        entityRef: 'dataproduct:default/store-staffing-feed',
        via: ['observed'],
        affectedBy: [],
      },
    ],
    summary: {
      breaking: 1,
      warning: 0,
      compatible: 1,
      consumers: 3,
      affectedConsumers: 1,
    },
  };
}

function run(input: Record<string, unknown>) {
  const discovery = mockServices.discovery.mock({
    getBaseUrl: async () => baseUrl,
  });
  const action = createContractImpactAction({
    discovery,
    auth: mockServices.auth(),
  });
  const logger = mockServices.logger.mock();
  const ctx = createMockActionContext({
    input: { entityRef: 'orders', port: 'orders-table', ...input } as any,
    workspacePath: mockDir.path,
    logger,
  });
  const outputs = () =>
    Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  const logged = (level: 'info' | 'warn' | 'error') =>
    (logger[level] as jest.Mock).mock.calls.map(([message]) => message);
  return {
    result: action.handler(ctx as any),
    outputs,
    logged,
    discovery,
  };
}

describe('data-mesh:contract:impact', () => {
  it('asks the data-mesh backend as the person running the template', async () => {
    reply = { status: 200, body: breakingImpact() };
    const { result, discovery } = run({
      contract: PROPOSED,
      failOn: 'never',
    });
    await result;
    expect(discovery.getBaseUrl).toHaveBeenCalledWith('data-mesh');
    expect(received).toEqual([
      {
        method: 'POST',
        url: '/api/data-mesh/contracts/impact',
        // A token the data-mesh backend reads as the template's user.
        authorization: `Bearer ${mockCredentials.service.token({
          onBehalfOf: mockCredentials.user(),
          targetPluginId: 'data-mesh',
        })}`,
        contentType: 'application/json',
        // A bare name is a data product in the default namespace.
        body: {
          entityRef: 'dataproduct:default/orders',
          port: 'orders-table',
          contract: PROPOSED,
        },
      },
    ]);
  });

  it('sends a contract given as an object as it is', async () => {
    reply = { status: 200, body: breakingImpact() };
    const contract = { apiVersion: 'v3.1.0', version: '2.0.0' };
    await run({
      entityRef: 'dataproduct:sales/orders',
      contract,
      failOn: 'never',
    }).result;
    expect(received[0].body).toEqual({
      entityRef: 'dataproduct:sales/orders',
      port: 'orders-table',
      contract,
    });
  });

  it('reads the contract from a file of the workspace', async () => {
    reply = { status: 200, body: breakingImpact() };
    mockDir.setContent({ 'contracts/orders-table.odcs.yaml': PROPOSED });
    await run({
      contractPath: 'contracts/orders-table.odcs.yaml',
      failOn: 'never',
    }).result;
    expect(received[0].body.contract).toBe(PROPOSED);
  });

  it('outputs and logs the changes, the version and each consumer', async () => {
    reply = { status: 200, body: breakingImpact() };
    const { result, outputs, logged } = run({
      contract: PROPOSED,
      failOn: 'never',
    });
    await result;
    const out = outputs();
    expect(out.summary).toEqual(breakingImpact().summary);
    expect(out.requiredVersionBump).toBe('major');
    expect(out.versionProblem).toBe(
      'breaking changes need a new major version: 1.2.0 -> 1.3.0 is not one',
    );
    expect(out.problems).toEqual([]);
    // The values before and after stay in the backend's answer.
    expect(out.changes[0]).toEqual({
      rule: 'field-removed',
      level: 'breaking',
      path: 'schema.orders.properties.customer_id',
      object: 'orders',
      field: 'customer_id',
      message: 'Removed field customer_id from orders',
    });
    // Those a breaking change reaches first.
    expect(out.consumers.map((c: any) => c.entityRef)).toEqual([
      'dataproduct:default/customer-360',
      'dataproduct:default/daily-sales',
      'dataproduct:default/store-staffing-feed',
    ]);

    expect(logged('warn')).toEqual(
      expect.arrayContaining([
        'breaking: Removed field customer_id from orders (field-removed)',
        'Version: breaking changes need a new major version: 1.2.0 -> 1.3.0 is not one',
        'Consumer Customer 360 | <b>CRM</b> (dataproduct:default/customer-360, owner CRM Data), declared and observed, reads customer_id, order_id: affected by Removed field customer_id from orders',
      ]),
    );
    expect(logged('info')).toEqual(
      expect.arrayContaining([
        'Contract of dataproduct:default/orders, port orders-table: current version 1.2.0, proposed version 1.3.0',
        '2 changes (1 breaking, 1 compatible), which need a new major version; 3 consumers, 1 affected.',
        'compatible: Added field total to orders (field-added)',
        'Required version: a new major version',
        'Consumer Daily sales (dataproduct:default/daily-sales, owner Sales Data), declared, reads order_id, total: not affected',
        'Consumer dataproduct:default/store-staffing-feed (dataproduct:default/store-staffing-feed), observed, fields read unknown: not affected',
      ]),
    );
  });

  it('writes a Markdown report for a pull request, with text from the contract escaped', async () => {
    reply = { status: 200, body: breakingImpact() };
    const { result, outputs } = run({ contract: PROPOSED, failOn: 'never' });
    await result;
    const report: string = outputs().report;
    expect(report).toContain(
      '### Contract change of `orders-table` in `dataproduct:default/orders`',
    );
    expect(report).toContain(
      '**2 changes (1 breaking, 1 compatible), which need a new major version; 3 consumers, 1 affected.**',
    );
    expect(report).toContain(
      'Current version 1.2.0, proposed version 1.3.0; the changes need a new major version.',
    );
    expect(report).toContain(
      '#### Problems\n\n- breaking changes need a new major version: 1.2.0 -> 1.3.0 is not one',
    );
    expect(report).toContain(
      '#### Breaking\n\n- Removed field customer\\_id from orders (`field-removed`)',
    );
    expect(report).toContain(
      '#### Compatible\n\n- Added field total to orders (`field-added`)',
    );
    const rows = report.split('\n').filter(line => line.startsWith('| '));
    expect(rows).toEqual([
      '| Consumer | Owner | Known from | Fields read | Affected by |',
      '| --- | --- | --- | --- | --- |',
      // A "|" or HTML in a title neither splits the row nor renders.
      '| Customer 360 \\| \\<b>CRM\\</b> (`dataproduct:default/customer-360`) | CRM Data | declared, observed | customer\\_id, order\\_id | **Removed field customer\\_id from orders** |',
      '| Daily sales (`dataproduct:default/daily-sales`) | Sales Data | declared | order\\_id, total | not affected |',
      '| `dataproduct:default/store-staffing-feed` | none | observed | unknown | not affected |',
    ]);
  });

  it('fails by default when a breaking change reaches a consumer, naming it and its owner', async () => {
    reply = { status: 200, body: breakingImpact() };
    const { result, outputs, logged } = run({ contract: PROPOSED });
    const error = await result.catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(
      /^The contract change of dataproduct:default\/orders, port orders-table, is refused \(failOn: breaking\):\n/,
    );
    expect(error.message).toContain(
      '1. Customer 360 | <b>CRM</b> (dataproduct:default/customer-360, owner CRM Data) is affected by a breaking change: Removed field customer_id from orders',
    );
    expect(error.message).toContain(
      '2. The proposed version does not fit the changes: breaking changes need a new major version: 1.2.0 -> 1.3.0 is not one',
    );
    expect(error.message).not.toContain('daily-sales');
    expect(error.message).toContain('set failOn to never to only report');
    // The report is out before the task stops, and the reasons are in the log.
    expect(outputs().report).toContain('#### Breaking');
    expect(logged('error')).toHaveLength(2);
  });

  it('fails by default on a wrong version even when no consumer is affected', async () => {
    const impact = breakingImpact();
    impact.consumers = impact.consumers.map(c => ({ ...c, affectedBy: [] }));
    impact.summary.affectedConsumers = 0;
    reply = { status: 200, body: impact };
    const error = await run({ contract: PROPOSED }).result.catch(e => e);
    expect(error.message).toContain(
      '1. The proposed version does not fit the changes: breaking changes need a new major version',
    );
    expect(error.message).not.toContain('is affected by');

    // failOn affected leaves the version number to other checks.
    await expect(
      run({ contract: PROPOSED, failOn: 'affected' }).result,
    ).resolves.toBeUndefined();
  });

  it('passes by default a breaking change under a new major version that reaches no consumer', async () => {
    const impact = breakingImpact();
    impact.proposed.version = '2.0.0';
    delete impact.versionProblem;
    impact.consumers = impact.consumers.map(c => ({ ...c, affectedBy: [] }));
    impact.summary.affectedConsumers = 0;
    reply = { status: 200, body: impact };
    const { result, outputs } = run({ contract: PROPOSED });
    await expect(result).resolves.toBeUndefined();
    expect(outputs().versionProblem).toBeUndefined();
    expect(outputs().report).not.toContain('#### Problems');
  });

  it('fails with failOn affected when a breaking change reaches a consumer', async () => {
    reply = { status: 200, body: breakingImpact() };
    const error = await run({
      contract: PROPOSED,
      failOn: 'affected',
    }).result.catch(e => e);
    expect(error.message).toContain('(failOn: affected)');
    expect(error.message).toContain(
      '1. Customer 360 | <b>CRM</b> (dataproduct:default/customer-360, owner CRM Data) is affected by a breaking change',
    );
    // Only the consumers count under affected, not the version.
    expect(error.message).not.toContain('does not fit the changes');
  });

  it('refuses a proposal the portal cannot compare unless failOn is never', async () => {
    const impact: ContractImpactResponse = {
      ...breakingImpact(),
      proposed: {
        problems: ['contract.apiVersion: expected an ODCS v3 version'],
      },
      changes: [],
      requiredVersionBump: 'none',
      consumers: breakingImpact().consumers.map(c => ({
        ...c,
        affectedBy: [],
      })),
      summary: {
        breaking: 0,
        warning: 0,
        compatible: 0,
        consumers: 3,
        affectedConsumers: 0,
      },
    };
    delete impact.versionProblem;
    reply = { status: 200, body: impact };
    for (const failOn of ['breaking', 'affected'] as const) {
      await expect(run({ contract: 'x: 1', failOn }).result).rejects.toThrow(
        '1. The proposed contract cannot be compared: contract.apiVersion: expected an ODCS v3 version',
      );
    }
    const { result, outputs, logged } = run({
      contract: 'x: 1',
      failOn: 'never',
    });
    await result;
    expect(outputs().problems).toEqual([
      'contract.apiVersion: expected an ODCS v3 version',
    ]);
    expect(outputs().report).toContain(
      '**The proposed contract cannot be compared: fix its problems first.**',
    );
    expect(logged('error')).toEqual([
      'Problem in the proposed contract: contract.apiVersion: expected an ODCS v3 version',
    ]);
  });

  it('says so when the portal has never read the port', async () => {
    reply = {
      status: 200,
      body: {
        ...breakingImpact(),
        current: null,
        changes: [],
        requiredVersionBump: 'none',
        versionProblem: undefined,
        consumers: [],
        summary: {
          breaking: 0,
          warning: 0,
          compatible: 0,
          consumers: 0,
          affectedConsumers: 0,
        },
      },
    };
    const { result, outputs } = run({ contract: PROPOSED });
    await result;
    expect(outputs().report).toContain(
      "**The portal has not read this port's contract yet: there is nothing to compare with.**",
    );
    expect(outputs().report).not.toContain('#### Consumers');
  });

  describe('the proposed contract', () => {
    it('refuses a path that climbs out of the workspace', async () => {
      const file = path.join(outside, 'outside.odcs.yaml');
      fs.writeFileSync(file, PROPOSED);
      const contractPath = path.relative(mockDir.path, file);
      expect(contractPath.startsWith('..')).toBe(true);
      reply = { status: 200, body: breakingImpact() };
      await expect(
        run({ contractPath, failOn: 'never' }).result,
      ).rejects.toThrow(/outside/i);
      await expect(
        run({ contractPath: file, failOn: 'never' }).result,
      ).rejects.toThrow(`The path "${file}" is absolute`);
      expect(received).toEqual([]);
    });

    it('refuses a symlink in the workspace that leads out of it', async () => {
      const secret = path.join(outside, 'secret.yaml');
      fs.writeFileSync(secret, 'secret: true');
      mockDir.setContent({ contracts: {} });
      fs.symlinkSync(secret, path.join(mockDir.path, 'contracts/linked.yaml'));
      reply = { status: 200, body: breakingImpact() };
      await expect(
        run({ contractPath: 'contracts/linked.yaml', failOn: 'never' }).result,
      ).rejects.toThrow(/outside/i);
      expect(received).toEqual([]);
    });

    it.each([
      [
        { contract: PROPOSED, contractPath: 'contracts/a.yaml' },
        'Both contract and contractPath are set',
      ],
      [{}, 'No proposed contract: set contract to its YAML text'],
      [
        { contractPath: 'contracts/missing.yaml' },
        'contractPath "contracts/missing.yaml": no such file in the workspace',
      ],
      [{ contractPath: 'contracts' }, 'contractPath "contracts" is a folder'],
      [
        { contract: PROPOSED, entityRef: 'dataproduct:default/' },
        'entityRef "dataproduct:default/" is not an entity reference; expected a data product such as dataproduct:default/orders',
      ],
      [
        { contract: PROPOSED, entityRef: 'group:default/sales-data' },
        'entityRef "group:default/sales-data" is not a data product',
      ],
    ])('explains a missing or bad input (%p)', async (input, message) => {
      mockDir.setContent({ contracts: {} });
      reply = { status: 200, body: breakingImpact() };
      const error = await run(input).result.catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toContain(message);
      expect(received).toEqual([]);
    });
  });

  describe('a refused request', () => {
    const backstageError = (status: number, name: string, message: string) => ({
      status,
      body: {
        error: { name, message },
        request: { method: 'POST', url: '/api/data-mesh/contracts/impact' },
        response: { statusCode: status },
      },
    });

    it.each([
      [
        backstageError(
          400,
          'InputError',
          "body.port: expected the name of one of the product's output ports, such as orders-table",
        ),
        'InputError',
        "The impact of the contract of dataproduct:default/orders, port orders-table, could not be checked: the data-mesh backend refused the request: body.port: expected the name of one of the product's output ports, such as orders-table",
      ],
      [
        backstageError(
          404,
          'NotFoundError',
          'dataproduct:default/orders has no output port orders-table; name one of its spec.outputPorts',
        ),
        'NotFoundError',
        'could not be checked: dataproduct:default/orders has no output port orders-table; name one of its spec.outputPorts. Check the entityRef and port inputs',
      ],
      [
        backstageError(
          403,
          'NotAllowedError',
          'Not allowed: data-mesh.scorecard.read',
        ),
        'NotAllowedError',
        'the person running the template needs the permission data-mesh.scorecard.read: Not allowed: data-mesh.scorecard.read',
      ],
      [
        backstageError(401, 'AuthenticationError', 'Illegal token'),
        'AuthenticationError',
        'the data-mesh backend did not accept the credentials of the person running the template: Illegal token',
      ],
      [
        // What the portal answers for a plugin it does not run.
        { status: 404, body: '' },
        'NotFoundError',
        '/api/data-mesh/contracts/impact; is the data-mesh backend plugin (@quanta/plugin-data-mesh-backend) installed in this portal?',
      ],
      [
        { status: 502, body: '<html>Bad gateway</html>' },
        'Error',
        'the data-mesh backend answered 502 Bad Gateway: <html>Bad gateway</html>',
      ],
    ])('quotes the backend (%#)', async (answer, name, message) => {
      reply = answer;
      const { result, outputs } = run({ contract: PROPOSED });
      const error = await result.catch(e => e);
      expect(error.name).toBe(name);
      expect(error.message).toContain(message);
      expect(outputs()).toEqual({});
    });

    it('says where it looked when the backend cannot be reached', async () => {
      const closed = http.createServer();
      await new Promise<void>(resolve =>
        closed.listen(0, '127.0.0.1', resolve),
      );
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>(resolve => closed.close(() => resolve()));
      const action = createContractImpactAction({
        discovery: mockServices.discovery.mock({
          getBaseUrl: async () => `http://127.0.0.1:${port}/api/data-mesh`,
        }),
        auth: mockServices.auth(),
      });
      const ctx = createMockActionContext({
        input: {
          entityRef: 'orders',
          port: 'orders-table',
          contract: PROPOSED,
        },
        workspacePath: mockDir.path,
      });
      await expect(action.handler(ctx as any)).rejects.toThrow(
        `Could not reach the data-mesh backend at http://127.0.0.1:${port}/api/data-mesh`,
      );
    });
  });
});
