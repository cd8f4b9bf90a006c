/**
 * Human-readable rendering of ISO-8601 durations, as used by data product SLOs
 * and retention periods (`PT1H`, `P1D`, `P2Y`, `P1DT12H`, `PT0.5S`).
 */

const NUMBER = '(\\d+(?:[.,]\\d+)?)';
const DURATION_PATTERN = new RegExp(
  `^P(?!$)(?:${NUMBER}Y)?(?:${NUMBER}M)?(?:${NUMBER}W)?(?:${NUMBER}D)?` +
    `(?:T(?=\\d)(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`,
);

const UNITS = [
  ['year', 'years'],
  ['month', 'months'],
  ['week', 'weeks'],
  ['day', 'days'],
  ['hour', 'hours'],
  ['minute', 'minutes'],
  ['second', 'seconds'],
] as const;

function formatNumber(value: string): string {
  // Drop leading zeros and useless trailing decimals: "01" -> "1", "1.50" -> "1.5".
  const normalized = value.replace(',', '.');
  return String(Number(normalized));
}

function joinWords(parts: string[]): string {
  if (parts.length <= 1) {
    return parts.join('');
  }
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * Turns an ISO-8601 duration into English words, e.g. `PT1H` into `1 hour`,
 * `P2Y` into `2 years` and `P1DT12H` into `1 day and 12 hours`.
 *
 * @returns the words, or `undefined` when the value is not an ISO-8601 duration
 * @public
 */
export function formatIsoDuration(value: string): string | undefined {
  const match = DURATION_PATTERN.exec(value.trim());
  if (!match) {
    return undefined;
  }
  const present = UNITS.map(([singular, plural], index) => {
    const raw = match[index + 1];
    if (raw === undefined) {
      return undefined;
    }
    const amount = formatNumber(raw);
    return { amount, words: `${amount} ${amount === '1' ? singular : plural}` };
  }).filter((part): part is { amount: string; words: string } => !!part);

  const nonZero = present.filter(part => Number(part.amount) !== 0);
  if (nonZero.length === 0) {
    // Every written component is zero, e.g. PT0S: say it in the smallest unit given.
    return present[present.length - 1].words;
  }
  return joinWords(nonZero.map(part => part.words));
}

/**
 * Like {@link formatIsoDuration}, but never fails: values that are not ISO-8601
 * durations are shown as written, with a note.
 *
 * @public
 */
export function describeIsoDuration(value: string): string {
  return formatIsoDuration(value) ?? `${value} (not an ISO-8601 duration)`;
}
