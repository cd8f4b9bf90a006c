import { type Config, readDurationFromConfig } from '@backstage/config';
import { type HumanDuration, durationToMilliseconds } from '@backstage/types';

/**
 * Reads a duration under `key` in any form Backstage's own plugins accept:
 * an object such as `{ minutes: 30 }` (the form these keys always took), a
 * string such as `30m` or `2 hours`, or ISO 8601 such as `PT30M`. Returns
 * `fallback` when the key is absent; a value of another form stops the
 * backend at startup with the key and the accepted forms named.
 */
export function readDuration(
  config: Config,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  if (!config.has(key)) return fallback;
  let duration: HumanDuration;
  try {
    duration = readDurationFromConfig(config, { key });
  } catch (error) {
    throw new Error(
      `${key}: ${
        (error as Error).message
      }; expected a duration such as { minutes: 30 }, '30m' or 'PT30M'`,
    );
  }
  if (!(durationToMilliseconds(duration) > 0)) {
    throw new Error(
      `${key}: expected a duration longer than zero, such as { minutes: 30 }, '30m' or 'PT30M'`,
    );
  }
  return duration;
}

/** {@link readDuration} in milliseconds. */
export function readDurationMs(
  config: Config,
  key: string,
  fallback: HumanDuration,
): number {
  return durationToMilliseconds(readDuration(config, key, fallback));
}
