// The grammar and the calendar arithmetic live in the common package, next
// to the schema whose pattern they share; exported here as before.
export {
  type IsoDuration,
  parseIsoDuration,
  addIsoDuration,
} from '@quanta/plugin-data-mesh-common';

/**
 * An elapsed time in words a person reads at a glance: `3 days 4 hours`, `25 minutes`.
 *
 * @public
 */
export function formatElapsed(ms: number): string {
  const totalMinutes = Math.floor(Math.max(0, ms) / 60000);
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (days > 0) {
    return hours > 0
      ? `${unit(days, 'day')} ${unit(hours, 'hour')}`
      : unit(days, 'day');
  }
  if (hours > 0) {
    return minutes > 0
      ? `${unit(hours, 'hour')} ${unit(minutes, 'minute')}`
      : unit(hours, 'hour');
  }
  return unit(minutes, 'minute');
}
