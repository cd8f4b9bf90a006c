import {
  type SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { type Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { type HumanDuration, durationToMilliseconds } from '@backstage/types';

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

/** How soon after a change the index may run again: `refreshMinimumGap`'s default. */
export const DEFAULT_REFRESH_MINIMUM_GAP: HumanDuration = { seconds: 30 };

/** Whether, and how often at most, products that changed start an index run. */
export type RefreshOnChangeSettings = {
  enabled: boolean;
  /** Least time between two index runs started by changes. */
  minimumGapMs: number;
};

/**
 * `search.collators.dataMesh.refreshOnChange` (default true) and
 * `search.collators.dataMesh.refreshMinimumGap` (default 30 seconds).
 */
export function readRefreshOnChange(config: Config): RefreshOnChangeSettings {
  const enabledKey = `${CONFIG_KEY}.refreshOnChange`;
  let enabled: boolean | undefined;
  try {
    enabled = config.getOptionalBoolean(enabledKey);
  } catch {
    throw new InputError(
      `Invalid ${enabledKey}: expected true or false, found ${JSON.stringify(
        config.getOptional(enabledKey),
      )}`,
    );
  }
  const gapKey = `${CONFIG_KEY}.refreshMinimumGap`;
  let gap = DEFAULT_REFRESH_MINIMUM_GAP;
  if (config.has(gapKey)) {
    try {
      gap = readDurationFromConfig(config, { key: gapKey });
    } catch (error) {
      throw new InputError(
        `Invalid ${gapKey}: ${
          error instanceof Error ? error.message : error
        }; expected a duration such as { seconds: 30 }, '30s' or 'PT30S'`,
      );
    }
  }
  const minimumGapMs = durationToMilliseconds(gap);
  if (!(minimumGapMs >= 0)) {
    throw new InputError(
      `Invalid ${gapKey}: expected a duration of zero or more, such as { seconds: 30 }`,
    );
  }
  return { enabled: enabled ?? true, minimumGapMs };
}
