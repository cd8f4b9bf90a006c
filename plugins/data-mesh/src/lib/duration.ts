/**
 * Human-readable rendering of ISO-8601 durations, as used by data product SLOs
 * and retention periods (`PT1H`, `P1D`, `P2Y`, `P1DT12H`, `PT0.5S`).
 */

import { formatIsoDuration } from '@quanta/plugin-data-mesh-common';

// The words come from the common package, so the backend's messages and the
// pages say a duration the same way.
export { formatIsoDuration };

/**
 * Like {@link formatIsoDuration}, but never fails: values that are not ISO-8601
 * durations are shown as written, with a note.
 *
 * @public
 */
export function describeIsoDuration(value: string): string {
  return formatIsoDuration(value) ?? `${value} (not an ISO-8601 duration)`;
}
