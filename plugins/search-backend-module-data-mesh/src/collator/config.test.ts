import { ConfigReader, type JsonValue } from '@backstage/config';
import { DEFAULT_SCHEDULE, readCollatorSchedule } from './config';

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
