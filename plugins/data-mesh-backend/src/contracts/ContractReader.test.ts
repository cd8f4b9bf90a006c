import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  ContractReader,
  odcsProblem,
  resolveContractLocation,
} from './ContractReader';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'quanta.dev/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'orders', annotations },
  spec: {},
});

const GITHUB_DESCRIPTOR =
  'url:https://github.com/acme/orders/blob/main/catalog/catalog-info.yaml';

describe('resolveContractLocation', () => {
  it('takes an absolute http(s) URL as it is', () => {
    expect(
      resolveContractLocation(
        entity({ 'backstage.io/managed-by-location': 'file:/repo/c.yaml' }),
        'https://contracts.acme.example/orders.odcs.yaml',
      ),
    ).toEqual({
      type: 'url',
      target: 'https://contracts.acme.example/orders.odcs.yaml',
    });
  });

  it('resolves a relative path against a url: source location first', () => {
    expect(
      resolveContractLocation(
        entity({
          'backstage.io/source-location':
            'url:https://github.com/acme/orders/tree/main/',
          'backstage.io/managed-by-location': GITHUB_DESCRIPTOR,
        }),
        'contracts/orders.odcs.yaml',
      ),
    ).toEqual({
      type: 'url',
      target:
        'https://github.com/acme/orders/tree/main/contracts/orders.odcs.yaml',
    });
  });

  it('falls back to the descriptor location, url: or file:', () => {
    expect(
      resolveContractLocation(
        entity({
          'backstage.io/source-location': 'file:/elsewhere/',
          'backstage.io/managed-by-location': GITHUB_DESCRIPTOR,
        }),
        '../contracts/orders.odcs.yaml',
      ),
    ).toEqual({
      type: 'url',
      target:
        'https://github.com/acme/orders/blob/main/contracts/orders.odcs.yaml',
    });
    expect(
      resolveContractLocation(
        entity({
          'backstage.io/managed-by-location': 'file:/repo/products/p.yaml',
        }),
        '../contracts/orders.odcs.yaml',
      ),
    ).toEqual({ type: 'file', target: '/repo/contracts/orders.odcs.yaml' });
  });

  it('refuses other schemes, and a relative path with nothing to resolve it against', () => {
    expect(() =>
      resolveContractLocation(
        entity({ 'backstage.io/managed-by-location': 'file:/r/p.yaml' }),
        'file:/etc/orders.yaml',
      ),
    ).toThrow(/only http\(s\) URLs or paths relative to the descriptor/);
    expect(() =>
      resolveContractLocation(entity({}), 'orders.odcs.yaml'),
    ).toThrow(/use an absolute https:\/\/ URL/);
  });
});

describe('odcsProblem', () => {
  const valid = {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'c1',
    version: '1.0.0',
    schema: [],
  };
  it('accepts the fields the version history relies on', () => {
    expect(odcsProblem(valid)).toBeUndefined();
  });
  it.each([
    [{ ...valid, apiVersion: 'v2.2.2' }, /^apiVersion: found "v2\.2\.2"/],
    [
      { ...valid, kind: 'Contract' },
      /^kind: found "Contract", expected DataContract$/,
    ],
    [
      { ...valid, id: '' },
      /^id: missing; give the contract a stable identifier/,
    ],
    [{ ...valid, version: undefined }, /^version: missing;/],
    [
      { ...valid, version: 2 },
      /^version: found the number 2, expected a string; quote it/,
    ],
    [
      { ...valid, schema: { orders: {} } },
      /^schema: found object, expected a list/,
    ],
    [['a list'], /^expected a YAML mapping/],
  ])('names the field and the fix: %j', (document, message) => {
    expect(odcsProblem(document)).toMatch(message);
  });
});

describe('ContractReader', () => {
  const ODCS =
    'apiVersion: v3.0.2\nkind: DataContract\nid: c1\nversion: 1.0.0\nschema: []\n';
  const urlReader = (read: () => Promise<any>) =>
    ({ readUrl: read } as unknown as UrlReaderService);
  const remote = entity({});
  const URL_ = 'https://contracts.acme.example/c.yaml';

  it('returns the document and the sha256 of its bytes', async () => {
    const reader = new ContractReader({
      urlReader: urlReader(async () => ({
        buffer: async () => Buffer.from(ODCS),
      })),
      maxSize: 1000,
    });
    const result = await reader.read(remote, URL_);
    expect(result).toEqual({
      status: 'ok',
      location: URL_,
      digest: require('node:crypto')
        .createHash('sha256')
        .update(ODCS)
        .digest('hex'),
      document: {
        apiVersion: 'v3.0.2',
        kind: 'DataContract',
        id: 'c1',
        version: '1.0.0',
        schema: [],
      },
    });
  });

  it('stops reading a stream past the size bound', async () => {
    let pulled = 0;
    const stream = Readable.from(
      (function* chunks() {
        for (let i = 0; i < 100; i++) {
          pulled += 1;
          yield Buffer.alloc(100, 'a');
        }
      })(),
    );
    const reader = new ContractReader({
      urlReader: urlReader(async () => ({
        buffer: async () => {
          throw new Error('a stream is read, not a buffer');
        },
        stream: () => stream,
      })),
      maxSize: 250,
    });
    expect(await reader.read(remote, URL_)).toMatchObject({
      status: 'unreadable',
      reason: 'too-large',
    });
    expect(pulled).toBeLessThan(10);
  });

  it('tells not found and not allowed apart from other failures', async () => {
    const failing = (error: Error) =>
      new ContractReader({
        urlReader: urlReader(async () => {
          throw error;
        }),
        maxSize: 1000,
      }).read(remote, URL_);
    expect(await failing(new NotFoundError('gone'))).toMatchObject({
      reason: 'not-found',
    });
    expect(await failing(new NotAllowedError('no'))).toMatchObject({
      reason: 'not-allowed',
    });
    expect(await failing(new Error('ECONNRESET'))).toMatchObject({
      reason: 'failed',
      message: `Could not read ${URL_}: ECONNRESET`,
    });
  });

  it('refuses a file of several documents, and a file over the bound without reading it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-contract-'));
    try {
      fs.writeFileSync(path.join(dir, 'two.yaml'), `${ODCS}---\n${ODCS}`);
      fs.writeFileSync(
        path.join(dir, 'big.yaml'),
        `${ODCS}#${'x'.repeat(500)}\n`,
      );
      const reader = new ContractReader({
        urlReader: urlReader(async () => {
          throw new Error('files are read from disk');
        }),
        maxSize: 200,
      });
      const local = entity({
        'backstage.io/managed-by-location': `file:${path.join(dir, 'p.yaml')}`,
      });
      const two = await reader.read(local, 'two.yaml');
      expect(two.status).toBe('invalid');
      expect(two).toHaveProperty(
        'message',
        expect.stringMatching(/^Not YAML: .*multiple documents/),
      );
      expect(await reader.read(local, 'big.yaml')).toMatchObject({
        status: 'unreadable',
        reason: 'too-large',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
