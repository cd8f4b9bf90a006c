import {
  type SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** Where the collator's settings live in app-config. */
export const CONFIG_KEY = 'search.collators.dataMesh';

/** Every 10 minutes, a few seconds after the backend starts, as the catalog collator. */
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 3 },
};

/** The indexing schedule: `search.collators.dataMesh.schedule`, or the default. */
export function readCollatorSchedule(
  config: Config,
): SchedulerServiceTaskScheduleDefinition {
  const schedule = config.getOptionalConfig(`${CONFIG_KEY}.schedule`);
  if (!schedule) return DEFAULT_SCHEDULE;
  try {
    return readSchedulerServiceTaskScheduleDefinitionFromConfig(schedule);
  } catch (error) {
    throw new InputError(
      `Invalid schedule at ${CONFIG_KEY}.schedule: ${
        error instanceof Error ? error.message : error
      }`,
    );
  }
}
