import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import { readDuration, readDurationMs } from './config';

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
