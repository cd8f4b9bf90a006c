import type { DataProductSlos } from '@quanta/plugin-data-mesh-common';
import { describeIsoDuration, formatIsoDuration } from '../duration';

/** One declared SLO, in words. */
export type SloLine = {
  key: keyof DataProductSlos;
  label: string;
  value: string;
  caption: string;
};

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function percent(value: number): string {
  return `${Number(value.toFixed(4))}%`;
}

/** Each declared SLO, in words. */
export function describeSlos(slos: DataProductSlos | undefined): SloLine[] {
  if (!slos || typeof slos !== 'object') {
    return [];
  }
  const lines: SloLine[] = [];
  const duration = (
    key: 'freshness' | 'intervalOfChange' | 'timeliness',
    label: string,
    sentence: (words: string) => string,
  ) => {
    const raw = slos[key];
    if (typeof raw !== 'string' || !raw.trim()) {
      return;
    }
    const words = formatIsoDuration(raw);
    lines.push({
      key,
      label,
      value: words ?? describeIsoDuration(raw),
      caption: words
        ? sentence(words)
        : 'Write it as an ISO-8601 duration such as PT1H, P1D or P2Y.',
    });
  };
  duration(
    'freshness',
    'Freshness',
    words => `The newest data is at most ${words} old.`,
  );
  duration(
    'intervalOfChange',
    'Interval of change',
    words => `The data changes every ${words}.`,
  );
  duration(
    'timeliness',
    'Timeliness',
    words => `Events are served at most ${words} after they happen.`,
  );
  if (isNumber(slos.completeness)) {
    lines.push({
      key: 'completeness',
      label: 'Completeness',
      value: percent(slos.completeness),
      caption: `At least ${percent(
        slos.completeness,
      )} of the expected records are present.`,
    });
  }
  if (isNumber(slos.availability)) {
    lines.push({
      key: 'availability',
      label: 'Availability',
      value: percent(slos.availability),
      caption: `The output ports are readable ${percent(
        slos.availability,
      )} of the time.`,
    });
  }
  return lines;
}
