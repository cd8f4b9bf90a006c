import type { QualityResultFormat } from '@quanta/plugin-data-mesh-common';
import type { ParseOptions, ParsedResults } from './common';
import { parseDatacontract } from './datacontract';
import { parseDbt } from './dbt';
import { parseGreatExpectations } from './greatExpectations';
import { parseJunit } from './junit';
import { parseQuanta } from './quanta';
import { parseSoda } from './soda';

export type { ParseOptions, ParsedResults } from './common';

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
 * the same document and options always give the same run.
 */
export function parseResults(
  format: QualityResultFormat,
  body: string,
  options: ParseOptions,
): ParsedResults {
  return PARSERS[format](body, options);
}
