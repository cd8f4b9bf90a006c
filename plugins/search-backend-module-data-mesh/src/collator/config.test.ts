import { ConfigReader, type JsonValue } from '@backstage/config';
import {
  DEFAULT_SCHEDULE,
  readCollatorSchedule,
  readRefreshOnChange,
} from './config';

const withSchedule = (schedule: JsonValue) =>
  new ConfigReader({ search: { collators: { dataMesh: { schedule } } } });

describe('readCollatorSchedule', () => {
  it('indexes every 10 minutes, starting a few seconds after the backend, by default', () => {
    expect(readCollatorSchedule(new ConfigReader({}))).toEqual({
      frequency: { minutes: 10 },
      timeout: { minutes: 15 },
      initialDelay: { seconds: 3 },
    });
    expect(
      readCollatorSchedule(
        new ConfigReader({ search: { collators: { dataMesh: {} } } }),
      ),
    ).toBe(DEFAULT_SCHEDULE);
  });

  it('reads search.collators.dataMesh.schedule in any form Backstage takes', () => {
    expect(
      readCollatorSchedule(
        withSchedule({
          frequency: { hours: 1 },
          timeout: 'PT20M',
          initialDelay: { seconds: 30 },
          scope: 'local',
        }),
      ),
    ).toEqual({
      frequency: { hours: 1 },
      timeout: { minutes: 20 },
      initialDelay: { seconds: 30 },
      scope: 'local',
    });
    expect(
      readCollatorSchedule(
        withSchedule({ frequency: { cron: '*/15 * * * *' }, timeout: '5m' }),
      ),
    ).toEqual({
      frequency: { cron: '*/15 * * * *' },
      timeout: { minutes: 5 },
    });
  });

  it('names the key of a schedule it cannot read', () => {
    expect(() =>
      readCollatorSchedule(withSchedule({ frequency: 'often' })),
    ).toThrow(/^Invalid schedule at search\.collators\.dataMesh\.schedule: /);
  });
});

describe('readRefreshOnChange', () => {
  const withDataMesh = (dataMesh: JsonValue) =>
    new ConfigReader({ search: { collators: { dataMesh } } });

  it('indexes again on changes, at most every 30 seconds, by default', () => {
    expect(readRefreshOnChange(new ConfigReader({}))).toEqual({
      enabled: true,
      minimumGapMs: 30_000,
    });
  });

  it('reads refreshOnChange and refreshMinimumGap in any duration form', () => {
    expect(
      readRefreshOnChange(
        withDataMesh({ refreshOnChange: false, refreshMinimumGap: '2m' }),
      ),
    ).toEqual({ enabled: false, minimumGapMs: 120_000 });
    expect(
      readRefreshOnChange(withDataMesh({ refreshMinimumGap: { seconds: 0 } })),
    ).toEqual({ enabled: true, minimumGapMs: 0 });
    expect(
      readRefreshOnChange(withDataMesh({ refreshMinimumGap: 'PT5S' })),
    ).toEqual({ enabled: true, minimumGapMs: 5_000 });
  });

  it('names the key and the fix for a value it cannot read', () => {
    expect(() =>
      readRefreshOnChange(withDataMesh({ refreshOnChange: 'sometimes' })),
    ).toThrow(
      'Invalid search.collators.dataMesh.refreshOnChange: expected true or false, found "sometimes"',
    );
    expect(() =>
      readRefreshOnChange(withDataMesh({ refreshMinimumGap: 'often' })),
    ).toThrow(
      /^Invalid search\.collators\.dataMesh\.refreshMinimumGap: .*; expected a duration such as \{ seconds: 30 \}, '30s' or 'PT30S'$/,
    );
    expect(() =>
      readRefreshOnChange(withDataMesh({ refreshMinimumGap: { seconds: -5 } })),
    ).toThrow(
      'Invalid search.collators.dataMesh.refreshMinimumGap: expected a duration of zero or more, such as { seconds: 30 }',
    );
  });
});
