import type {
  ScorecardSummary,
  PolicyDescription,
} from '@quanta/plugin-data-mesh-common';
import { POLICY_ATTRIBUTES } from '@quanta/plugin-data-mesh-common';
import { NO_LEVEL } from './governance';

export type CsvValue = string | number | boolean | undefined | null;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
 * break, with quotes doubled. Fields that a spreadsheet would run as a formula
 * get a leading apostrophe.
 */
export function csvField(value: CsvValue): string {
  if (value === undefined || value === null) {
    return '';
  }
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to CSV text, CRLF line ends as RFC 4180 asks. */
export function toCsv(rows: CsvValue[][]): string {
  return rows.map(row => row.map(csvField).join(',')).join('\r\n');
}

/**
 * The scorecards as CSV: one row per product with its level, score, a column
 * per attribute, the failing policies and what blocks the next level.
 */
export function scorecardsToCsv(
  items: ScorecardSummary[],
  policies: Map<string, PolicyDescription> = new Map(),
): string {
  const title = (id: string) => policies.get(id)?.title ?? id;
  const header: CsvValue[] = [
    'entityRef',
    'domain',
    'owner',
    'level',
    'score',
    ...POLICY_ATTRIBUTES,
    'failingPolicies',
    'nextLevel',
    'blockingPolicies',
    'evaluatedAt',
  ];
  const rows = items.map((item): CsvValue[] => [
    item.entityRef,
    item.domain,
    item.owner,
    item.level ?? NO_LEVEL,
    item.score,
    ...POLICY_ATTRIBUTES.map(attribute => item.attributes[attribute]),
    item.failing.map(title).join('; '),
    item.nextLevel?.name,
    item.nextLevel?.blocking.map(title).join('; '),
    item.evaluatedAt,
  ]);
  return toCsv([header, ...rows]);
}

/**
 * Hands CSV text to the browser as a file download, through an object URL
 * that is released right after the click.
 */
export function downloadCsv(filename: string, csv: string): void {
  // The byte order mark makes spreadsheet apps read the file as UTF-8.
  const blob = new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
