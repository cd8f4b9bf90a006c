import { InputError } from '@backstage/errors';
import {
  QUALITY_SLO_KEYS,
  type QualityCheckResult,
  type QualitySloKey,
} from '@quanta/plugin-data-mesh-common';
import {
  type ParseOptions,
  type ParsedResults,
  compact,
  cut,
  declaredDimension,
  digestOf,
  dimensionOf,
  isoOf,
  uniqueCheckIds,
  valueOf,
} from './common';
import { SLICE, type Work } from '../../shared/slices';
import { type XmlRead, xmlDetour } from './xml';

type Node = Record<string, any>;

function attr(node: Node | undefined, name: string): string | undefined {
  const value = node?.[`@${name}`];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** `<properties><property name= value=/>` as a map; the text form counts too. */
function propertiesOf(node: Node | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const list = node?.properties?.property;
  if (!Array.isArray(list)) return out;
  for (const property of list) {
    const name = attr(property, 'name');
    const value = attr(property, 'value') ?? property?.['#text'];
    if (name && typeof value === 'string') out.set(name, value);
  }
  return out;
}

/** The message of a `<failure>` or `<error>`: its attribute, else its first lines. */
function messageOf(element: unknown): string | undefined {
  if (typeof element === 'string') return cut(element);
  const node = element as Node;
  const message = attr(node, 'message');
  const text = typeof node?.['#text'] === 'string' ? node['#text'] : undefined;
  const type = attr(node, 'type');
  return cut(
    message ?? text?.split('\n').slice(0, 20).join('\n') ?? type ?? undefined,
  );
}

/** Suites, however deeply `<testsuite>` nests. */
function suitesOf(node: Node | undefined, out: Node[] = []): Node[] {
  for (const suite of node?.testsuite ?? []) {
    if (!suite || typeof suite !== 'object') continue;
    out.push(suite);
    suitesOf(suite, out);
  }
  return out;
}

function sloOf(value: string | undefined): QualitySloKey | undefined {
  return (QUALITY_SLO_KEYS as readonly string[]).includes(value ?? '')
    ? (value as QualitySloKey)
    : undefined;
}

/** Properties are text; a number written as text is measured as a number. */
function numberOrText(value: string | undefined): number | string | undefined {
  if (value !== undefined && /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(value.trim())) {
    return Number(value);
  }
  return valueOf(value);
}

const seconds = (value: string | undefined) => {
  const number = Number(value);
  return Number.isFinite(number) && number > 0 ? number : 0;
};

/**
 * Reads JUnit XML: `<testsuites>` with `<testsuite>`s, or one
 * `<testsuite>`, of `<testcase>`s.
 *
 * - A case with `<failure>` is `fail`, with `<error>` `error`, with
 *   `<skipped>` counted and not stored, otherwise `pass`.
 * - The check id is `classname.name` (the suite name when there is no class
 *   name); repeated ids get `#2`, `#3`.
 * - Properties of a case may add `dimension`, `slo`, `measured`,
 *   `threshold` and `dataset`; properties of the first suite (or of
 *   `<testsuites>`) may add `run_id` and `url`. The dimension otherwise
 *   follows from the case name.
 * - JUnit has no run id: without a `run_id` property it is a digest of the
 *   document, so posting the same file twice stores it once. The run starts
 *   at the earliest suite `timestamp` (UTC when it has no zone) and lasts the
 *   suites' `time`; without timestamps it ends when it was received.
 */
export function* parseJunit(
  body: string,
  options: ParseOptions,
): Work<ParsedResults> {
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) {
    throw new InputError(
      'body: JUnit XML with a DOCTYPE or entity declarations is not accepted',
    );
  }
  const read = (yield xmlDetour(body)) as XmlRead;
  if ('invalid' in read) {
    throw new InputError(
      `body: not well-formed XML at line ${read.invalid.line}, column ${read.invalid.col}: ${read.invalid.msg}`,
    );
  }
  if ('failed' in read) {
    // The parser stops at its nesting limit (suites in suites, as a
    // hostile or broken report may have); that is the document's fault.
    throw new InputError(
      `body: JUnit XML the reader cannot take: ${read.failed}; nest <testsuite> elements less deeply`,
    );
  }
  const doc: Node = read.doc;
  let root: Node | undefined;
  if (doc.testsuites && typeof doc.testsuites === 'object') {
    root = doc.testsuites;
  } else if (doc.testsuite) {
    root = { testsuite: doc.testsuite };
  }
  if (!root) {
    throw new InputError(
      'body: expected JUnit XML with a <testsuites> or <testsuite> root element',
    );
  }
  const suites = suitesOf(root);
  const runProperties = new Map([
    ...propertiesOf(suites[0]),
    ...propertiesOf(root),
  ]);

  const checks: QualityCheckResult[] = [];
  let skipped = 0;
  let firstStart: string | undefined;
  let duration = 0;
  let cases = 0;
  for (const suite of suites) {
    const suiteName = attr(suite, 'name');
    const start = isoOf(attr(suite, 'timestamp'));
    if (start && (!firstStart || start < firstStart)) firstStart = start;
    duration += seconds(attr(suite, 'time'));
    for (const testcase of suite.testcase ?? []) {
      if (++cases % SLICE === 0) yield;
      if (!testcase || typeof testcase !== 'object') continue;
      const name = attr(testcase, 'name') ?? '(unnamed)';
      if (testcase.skipped) {
        skipped++;
        continue;
      }
      const scope = attr(testcase, 'classname') ?? suiteName;
      const properties = propertiesOf(testcase);
      const failure = testcase.failure?.[0];
      const error = testcase.error?.[0];
      let status: 'pass' | 'fail' | 'error' = 'pass';
      let message: string | undefined;
      if (failure !== undefined) {
        status = 'fail';
        message = messageOf(failure);
      } else if (error !== undefined) {
        status = 'error';
        message = messageOf(error);
      }
      checks.push(
        compact({
          checkId: scope ? `${scope}.${name}` : name,
          name,
          status,
          dimension:
            declaredDimension(properties.get('dimension')) ?? dimensionOf(name),
          slo: sloOf(properties.get('slo')),
          measured: numberOrText(properties.get('measured')),
          threshold: numberOrText(properties.get('threshold')),
          message,
          dataset: properties.get('dataset'),
        }),
      );
    }
  }
  const startedAt =
    firstStart ??
    new Date(options.undatedTime().getTime() - duration * 1000).toISOString();
  const finishedAt = firstStart
    ? new Date(Date.parse(firstStart) + duration * 1000).toISOString()
    : options.undatedTime().toISOString();
  const url = runProperties.get('url');
  return {
    run: compact({
      source: 'junit',
      runId: runProperties.get('run_id') || digestOf(body),
      startedAt,
      finishedAt,
      url: url && /^https?:\/\//.test(url) ? url : undefined,
      checks: yield* uniqueCheckIds(checks),
    }),
    skipped,
  };
}
