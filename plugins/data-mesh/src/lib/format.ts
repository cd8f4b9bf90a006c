/** Display helpers shared by the governance, quality and lineage views. */

import { DEFAULT_NAMESPACE, parseEntityRef } from '@backstage/catalog-model';

/** `domain:default/sales` reads as `sales`; other namespaces keep theirs. */
export function shortRef(ref: string | undefined): string {
  if (!ref) {
    return '';
  }
  try {
    const { namespace, name } = parseEntityRef(ref);
    return namespace === DEFAULT_NAMESPACE ? name : `${namespace}/${name}`;
  } catch {
    return ref;
  }
}

/** `2025-03-07T10:00:00Z` reads as `7 Mar 2025`; date-only values stay on their UTC day. */
export function formatDate(value: string | undefined): string {
  if (!value) {
    return '';
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    return value;
  }
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: value.length === 10 ? 'UTC' : undefined,
  });
}

const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

/**
 * `2026-12-01T09:30:12Z` reads as `1 Dec 2026, 09:30 UTC`: the same for
 * every reader, whatever their time zone or locale data. Undefined for a
 * value that is no date.
 */
export function formatDateTimeUtc(
  value: string | undefined,
): string | undefined {
  const date = value ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    return undefined;
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCDate()} ${
    MONTHS[date.getUTCMonth()]
  } ${date.getUTCFullYear()}, ${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )} UTC`;
}
