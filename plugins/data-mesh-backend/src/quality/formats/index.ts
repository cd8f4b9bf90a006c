import type { QualityResultFormat } from '@quanta/plugin-data-mesh-common';
import type { ParseOptions, ParsedResults, RunDating } from './common';
import { parseDatacontract } from './datacontract';
import { parseDbt } from './dbt';
import { parseGreatExpectations } from './greatExpectations';
import { parseJunit } from './junit';
import { parseQuanta } from './quanta';
import { parseSoda } from './soda';

export type { ParseOptions, ParsedResults, RunDating } from './common';

const PARSERS: Record<
  QualityResultFormat,
  (body: string, options: ParseOptions) => ParsedResults
> = {
  quanta: parseQuanta,
  dbt: parseDbt,
  'great-expectations': parseGreatExpectations,
  soda: parseSoda,
  datacontract: parseDatacontract,
  junit: parseJunit,
};

/**
 * Converts a results document of any supported format into one run. Pure:
 * the same document and options always give the same run. A document with
 * no time of its own is dated `runAt` when the pipeline gives it, else when
 * it was received; `dated` says which.
 */
export function parseResults(
  format: QualityResultFormat,
  body: string,
  options: { receivedAt: Date; runAt?: Date },
): ParsedResults & { dated: RunDating } {
  let undated = false;
  const parsed = PARSERS[format](body, {
    undatedTime: () => {
      undated = true;
      return options.runAt ?? options.receivedAt;
    },
  });
  let dated: RunDating = 'document';
  if (undated) dated = options.runAt ? 'runAt' : 'receipt';
  return { ...parsed, dated };
}
