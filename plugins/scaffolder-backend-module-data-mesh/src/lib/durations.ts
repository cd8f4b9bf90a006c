/** The ISO-8601 duration grammar of the DataProduct schema (`PT1H`, `P1D`, `P2Y`, `P1DT12H`). */
const DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const PARTS = [
  { unit: 'y', seconds: 365 * 86400 },
  { unit: 'mo', seconds: 30 * 86400 },
  { unit: 'w', seconds: 7 * 86400 },
  { unit: 'd', seconds: 86400 },
  { unit: 'h', seconds: 3600 },
  { unit: 'm', seconds: 60 },
  { unit: 's', seconds: 1 },
] as const;

function parts(value: string): number[] | undefined {
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  return match.slice(1).map(p => (p === undefined ? 0 : Number(p)));
}

/**
 * Seconds in a duration, counting a year as 365 days and a month as 30: close
 * enough for thresholds of quality checks, which are never calendar-exact.
 */
export function durationSeconds(value: string): number | undefined {
  const values = parts(value);
  if (!values) return undefined;
  return values.reduce((sum, n, i) => sum + n * PARTS[i].seconds, 0);
}

/**
 * A duration as the value and unit of an ODCS SLA property (`PT1H` is 1 h,
 * `P7Y` is 7 y). A duration of several parts is counted in its smallest unit.
 */
export function slaValue(
  value: string,
): { value: number; unit: string } | undefined {
  const values = parts(value);
  if (!values) return undefined;
  const used = values.map((n, i) => ({ n, i })).filter(({ n }) => n > 0);
  if (used.length === 0) return { value: 0, unit: 's' };
  if (used.length === 1) {
    return { value: used[0].n, unit: PARTS[used[0].i].unit };
  }
  const smallest = PARTS[used[used.length - 1].i];
  const seconds = durationSeconds(value)!;
  return {
    value: Math.round((seconds / smallest.seconds) * 1000) / 1000,
    unit: smallest.unit,
  };
}
