import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import { readDataMeshConfig, readDuration, readDurationMs } from './config';

const KEY = 'dataMesh.evaluation.frequency';
const withFrequency = (value: JsonValue) =>
  new ConfigReader({ dataMesh: { evaluation: { frequency: value } } });

describe('readDuration', () => {
  it('keeps the object form these keys always took', () => {
    expect(
      readDuration(withFrequency({ minutes: 45 }), KEY, { minutes: 30 }),
    ).toEqual({ minutes: 45 });
    expect(
      readDurationMs(withFrequency({ minutes: 1, seconds: 30 }), KEY, {
        minutes: 30,
      }),
    ).toBe(90_000);
  });

  it('reads the string forms other Backstage plugins take', () => {
    expect(readDurationMs(withFrequency('2h'), KEY, { minutes: 30 })).toBe(
      7_200_000,
    );
    expect(readDurationMs(withFrequency('PT15M'), KEY, { minutes: 30 })).toBe(
      900_000,
    );
  });

  it('falls back to the default when the key is absent', () => {
    expect(readDuration(new ConfigReader({}), KEY, { minutes: 30 })).toEqual({
      minutes: 30,
    });
  });

  it('names the key and the accepted forms for a value it cannot read', () => {
    expect(() =>
      readDuration(withFrequency('soon'), KEY, { minutes: 30 }),
    ).toThrow(
      /^dataMesh\.evaluation\.frequency: .*; expected a duration such as \{ minutes: 30 \}, '30m' or 'PT30M'$/,
    );
    expect(() =>
      readDuration(withFrequency({ minutes: 0 }), KEY, { minutes: 30 }),
    ).toThrow(
      "dataMesh.evaluation.frequency: expected a duration longer than zero, such as { minutes: 30 }, '30m' or 'PT30M'",
    );
  });
});

describe('readDataMeshConfig', () => {
  const read = (dataMesh: JsonValue) =>
    readDataMeshConfig(new ConfigReader({ dataMesh }));

  it('holds every default', () => {
    expect(readDataMeshConfig(new ConfigReader({}))).toEqual({
      access: {
        autoApprovePublic: false,
        allowSelfApproval: false,
        maxDuration: { days: 365 },
        provisioningInterval: { minutes: 1 },
        expiryInterval: { minutes: 15 },
      },
      evaluation: {
        frequency: { minutes: 30 },
        timeout: { minutes: 10 },
        changeDetection: { enabled: true, frequency: { minutes: 1 } },
      },
      history: { retentionDays: 400 },
      waivers: { maxDuration: { years: 1 } },
      lineage: {
        staleAfterDays: 30,
        refreshAfterMs: 300_000,
        maxRequestSize: '10mb',
        mappings: [],
        useDefaultMappings: true,
      },
      quality: {
        retentionDays: 400,
        maxBodyBytes: 5 * 1024 * 1024,
        rateLimit: { requests: 60, perSeconds: 60 },
        durationSloTarget: 99,
      },
      contracts: {
        refreshInterval: { minutes: 10 },
        maxSize: 1024 * 1024,
        officialSchemaUrl:
          'https://github.com/bitol-io/open-data-contract-standard/blob/main/schema/odcs-json-schema-{version}.json',
        noticePeriod: { days: 30 },
      },
    });
  });

  it('reads every key in the forms it always took', () => {
    const config = read({
      evaluation: {
        frequency: '2h',
        timeout: { minutes: 20 },
        changeDetection: { enabled: false, frequency: 'PT5M' },
      },
      history: { retentionDays: 90 },
      lineage: {
        staleAfterDays: 10,
        refresh: { minutes: 1 },
        maxRequestSize: '2mb',
        mappings: [
          { namespace: '^pg$', address: 'x://{name}' },
          { name: '^raw', address: 's3://lake/{name}', ignoreCase: true },
        ],
        useDefaultMappings: false,
      },
      quality: {
        retentionDays: 30,
        maxBodyBytes: 1024,
        rateLimit: { requests: 5, perSeconds: 10 },
        durationSloTarget: 99.5,
      },
    });
    expect(config.evaluation).toEqual({
      frequency: { hours: 2 },
      timeout: { minutes: 20 },
      changeDetection: { enabled: false, frequency: { minutes: 5 } },
    });
    expect(config.history.retentionDays).toBe(90);
    expect(config.lineage).toEqual({
      staleAfterDays: 10,
      refreshAfterMs: 60_000,
      maxRequestSize: '2mb',
      mappings: [
        {
          namespace: /^pg$/,
          name: undefined,
          address: 'x://{name}',
          ignoreCase: undefined,
        },
        {
          namespace: undefined,
          name: /^raw/,
          address: 's3://lake/{name}',
          ignoreCase: true,
        },
      ],
      useDefaultMappings: false,
    });
    expect(config.quality).toEqual({
      retentionDays: 30,
      maxBodyBytes: 1024,
      rateLimit: { requests: 5, perSeconds: 10 },
      durationSloTarget: 99.5,
    });
    expect(
      read({
        contracts: {
          refreshInterval: '1h',
          maxSize: 4096,
          officialSchemaUrl: 'https://mirror.example/odcs/{version}.json',
          noticePeriod: '10d',
        },
      }).contracts,
    ).toEqual({
      refreshInterval: { hours: 1 },
      maxSize: 4096,
      officialSchemaUrl: 'https://mirror.example/odcs/{version}.json',
      noticePeriod: { weeks: 1, days: 3 },
    });
    expect(
      read({ contracts: { noticePeriod: { weeks: 6 } } }).contracts
        .noticePeriod,
    ).toEqual({ weeks: 6 });
    expect(
      read({ contracts: { officialSchemaUrl: false } }).contracts
        .officialSchemaUrl,
    ).toBeUndefined();
  });

  it.each([
    [
      { quality: { retentionDays: 0 } },
      'dataMesh.quality.retentionDays: found 0, expected a number above 0',
    ],
    [
      { quality: { maxBodyBytes: -1 } },
      'dataMesh.quality.maxBodyBytes: found -1, expected a number above 0',
    ],
    [
      { quality: { rateLimit: { perSeconds: 0 } } },
      'dataMesh.quality.rateLimit.perSeconds: found 0, expected a number above 0',
    ],
    [
      { quality: { durationSloTarget: 150 } },
      'dataMesh.quality.durationSloTarget: found 150, expected a percentage above 0 and at most 100',
    ],
    [
      { contracts: { maxSize: 0 } },
      'dataMesh.contracts.maxSize: found 0, expected a number above 0',
    ],
    [
      { contracts: { officialSchemaUrl: 'https://mirror.example/odcs.json' } },
      'dataMesh.contracts.officialSchemaUrl: found "https://mirror.example/odcs.json", expected false or a URL with {version} where the schema version goes, such as https://github.com/bitol-io/open-data-contract-standard/blob/main/schema/odcs-json-schema-{version}.json',
    ],
    [
      { contracts: { refreshInterval: 'often' } },
      /^dataMesh\.contracts\.refreshInterval: .*; expected a duration such as/,
    ],
    [
      { contracts: { noticePeriod: 'a month' } },
      /^dataMesh\.contracts\.noticePeriod: .*; expected a duration such as \{ minutes: 30 \}, '30m' or 'PT30M'$/,
    ],
    [
      { contracts: { noticePeriod: { days: 0 } } },
      "dataMesh.contracts.noticePeriod: expected a duration longer than zero, such as { minutes: 30 }, '30m' or 'PT30M'",
    ],
    [
      { evaluation: { timeout: { minutes: 0 } } },
      "dataMesh.evaluation.timeout: expected a duration longer than zero, such as { minutes: 30 }, '30m' or 'PT30M'",
    ],
    [
      { lineage: { refresh: 'soon' } },
      /^dataMesh\.lineage\.refresh: .*; expected a duration such as \{ minutes: 30 \}, '30m' or 'PT30M'$/,
    ],
    [
      { lineage: { mappings: [{ name: '(', address: 'x' }] } },
      /^dataMesh\.lineage\.mappings\[0\]\.name: /,
    ],
  ])('names the key and the fix for a bad value: %j', (dataMesh, message) => {
    expect(() => read(dataMesh as JsonValue)).toThrow(message);
  });
});
