import type { QualityResultFormat } from '@quanta/plugin-data-mesh-common';
import { type Work, runInSlices, runNow } from '../../shared/slices';
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
  (body: string, options: ParseOptions) => Work<ParsedResults>
> = {
  quanta: parseQuanta,
  dbt: parseDbt,
  'great-expectations': parseGreatExpectations,
  soda: parseSoda,
  datacontract: parseDatacontract,
  junit: parseJunit,
};

/** The work of `parseResults`, in slices (see ../slices.ts). */
function* readResults(
  format: QualityResultFormat,
  body: string,
  options: { receivedAt: Date; runAt?: Date },
): Work<ParsedResults & { dated: RunDating }> {
  let undated = false;
  const parsed = yield* PARSERS[format](body, {
    undatedTime: () => {
      undated = true;
      return options.runAt ?? options.receivedAt;
    },
  });
  let dated: RunDating = 'document';
  if (undated) dated = options.runAt ? 'runAt' : 'receipt';
  return { ...parsed, dated };
}

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
  return runNow(readResults(format, body, options));
}

/**
 * `parseResults`, with the same results and errors, for a request: a large
 * document is read in slices between which the event loop answers other
 * requests, and large XML is parsed on a worker thread.
 */
export function parseResultsInSlices(
  format: QualityResultFormat,
  body: string,
  options: { receivedAt: Date; runAt?: Date },
): Promise<ParsedResults & { dated: RunDating }> {
  return runInSlices(readResults(format, body, options));
}
