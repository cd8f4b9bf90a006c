import type { QualityResultFormat } from '@quanta/plugin-data-mesh-common';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { sharedSuite } from '../../__testUtils__/shared';
import { dimensionOf, isoOf } from './common';
import { parseResults } from './index';

const fixtures = path.join(__dirname, '__fixtures__');
const receivedAt = new Date('2026-06-16T00:00:00Z');

/**
 * Golden files: each sample, written from its format's published schema, and
 * next to it the run it must become. `UPDATE_GOLDEN=1` rewrites the expected
 * files; review the diff before committing it.
 */
const GOLDEN: Array<[string, QualityResultFormat]> = [
  ['quanta.json', 'quanta'],
  ['dbt-run-results-v5.json', 'dbt'],
  ['dbt-run-results-v6.json', 'dbt'],
  ['dbt-sources-v2.json', 'dbt'],
  ['great-expectations-0.18.json', 'great-expectations'],
  ['great-expectations-1.x.json', 'great-expectations'],
  ['great-expectations-0.18-checkpoint.json', 'great-expectations'],
  ['great-expectations-1.x-checkpoint-describe.json', 'great-expectations'],
  ['soda-scan-results.json', 'soda'],
  ['datacontract-test-run.json', 'datacontract'],
  ['junit.xml', 'junit'],
  ['junit-single-suite.xml', 'junit'],
];

const read = (name: string) =>
  fs.readFileSync(path.join(fixtures, name), 'utf8');

describe('quality result formats', () => {
  it.each(GOLDEN)('%s (%s) matches its golden file', (file, format) => {
    const parsed = parseResults(format, read(file), { receivedAt });
    const expectedFile = file.replace(/\.(json|xml)$/, '.expected.json');
    if (process.env.UPDATE_GOLDEN) {
      fs.writeFileSync(
        path.join(fixtures, expectedFile),
        `${JSON.stringify(parsed, null, 2)}\n`,
      );
    }
    expect(parsed).toEqual(JSON.parse(read(expectedFile)));
  });

  it('stores no result for a test that was compiled but not run', () => {
    const doc = JSON.parse(read('dbt-run-results-v6.json'));
    const ran = parseResults('dbt', JSON.stringify(doc), { receivedAt });
    // dbt docs generate: the same tests, each compiled and "success".
    const compiled = {
      ...doc,
      results: doc.results.map((r: any) => ({
        ...r,
        status: r.unique_id.startsWith('test.') ? 'success' : r.status,
        failures: null,
      })),
    };
    const parsed = parseResults('dbt', JSON.stringify(compiled), {
      receivedAt,
    });
    const tests = doc.results.filter((r: any) =>
      r.unique_id.startsWith('test.'),
    ).length;
    expect(
      parsed.run.checks.filter(c => c.checkId.startsWith('test.')),
    ).toEqual([]);
    expect(parsed.skipped).toBe(tests);
    expect(ran.run.checks.some(c => c.checkId.startsWith('test.'))).toBe(true);

    for (const [which, command] of [
      ['generate', 'dbt docs generate'],
      ['compile', 'dbt compile'],
    ]) {
      expect(() =>
        parseResults('dbt', JSON.stringify({ ...compiled, args: { which } }), {
          receivedAt,
        }),
      ).toThrow(
        `body.args.which: this run_results.json was written by \`${command}\`, which compiles tests without running them`,
      );
    }
  });

  it("answers JUnit XML nested beyond the reader's limit with a 400, not a crash", () => {
    const depth = 500;
    const body = `<testsuites>${'<testsuite name="s">'.repeat(
      depth,
    )}<testcase name="x"/>${'</testsuite>'.repeat(depth)}</testsuites>`;
    expect(() => parseResults('junit', body, { receivedAt })).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(
          /^body: JUnit XML the reader cannot take: .*; nest <testsuite> elements less deeply$/,
        ),
      }),
    );
  });

  it('gives the same run for the same document', () => {
    for (const [file, format] of GOLDEN) {
      const a = parseResults(format, read(file), { receivedAt });
      const b = parseResults(format, read(file), {
        receivedAt: new Date('2027-01-01T00:00:00Z'),
      });
      expect(b.run.runId).toBe(a.run.runId);
      expect(b.run.checks.map(c => c.checkId)).toEqual(
        a.run.checks.map(c => c.checkId),
      );
    }
  });

  it('answers malformed documents naming the field path', () => {
    const dbt = JSON.parse(read('dbt-run-results-v6.json'));
    dbt.results[4].status = 'broken';
    expect(() =>
      parseResults('dbt', JSON.stringify(dbt), { receivedAt }),
    ).toThrow(/^body\.results\[4\]\.status: expected one of success, error/);

    const v3 = JSON.parse(read('dbt-run-results-v5.json'));
    v3.metadata.dbt_schema_version =
      'https://schemas.getdbt.com/dbt/run-results/v3.json';
    v3.metadata.dbt_version = '0.21.0';
    expect(() =>
      parseResults('dbt', JSON.stringify(v3), { receivedAt }),
    ).toThrow(
      /^body\.metadata\.dbt_schema_version: run_results\.json v3 \(dbt 0\.21\.0\) is not read: versions before v4 come from dbt before 1\.0/,
    );

    const ge = JSON.parse(read('great-expectations-0.18.json'));
    delete ge.results[2].expectation_config.expectation_type;
    expect(() =>
      parseResults('great-expectations', JSON.stringify(ge), { receivedAt }),
    ).toThrow(
      /^body\.results\[2\]\.expectation_config: expected expectation_type \(GE 0\.x\) or type \(GX 1\.x\)/,
    );

    const soda = JSON.parse(read('soda-scan-results.json'));
    soda.checks[1].name = 42;
    expect(() =>
      parseResults('soda', JSON.stringify(soda), { receivedAt }),
    ).toThrow(/^body\.checks\[1\]\.name: expected the check name/);

    const contract = JSON.parse(read('datacontract-test-run.json'));
    contract.checks[3].result = 'yellow';
    expect(() =>
      parseResults('datacontract', JSON.stringify(contract), { receivedAt }),
    ).toThrow(/^body\.checks\[3\]\.result: expected one of passed, warning/);

    const quanta = JSON.parse(read('quanta.json'));
    quanta.checks[1].status = 'failed';
    delete quanta.runId;
    expect(() =>
      parseResults('quanta', JSON.stringify(quanta), { receivedAt }),
    ).toThrow(
      'body.runId: expected the run id, unique per source; body.checks[1].status: expected one of pass, warn, fail, error',
    );
    const twice = JSON.parse(read('quanta.json'));
    twice.checks[2].checkId = twice.checks[0].checkId;
    expect(() =>
      parseResults('quanta', JSON.stringify(twice), { receivedAt }),
    ).toThrow(
      'body.checks[2].checkId: "orders-table-freshness" is also the id of checks[0]; check ids must be unique within a run',
    );

    expect(() => parseResults('quanta', '{"source": ', { receivedAt })).toThrow(
      /^body: not valid JSON/,
    );
    expect(() =>
      parseResults('junit', '<testsuites><testsuite></testsuites>', {
        receivedAt,
      }),
    ).toThrow(/^body: not well-formed XML at line 1/);
    expect(() =>
      parseResults('junit', '<results><case/></results>', { receivedAt }),
    ).toThrow(
      'body: expected JUnit XML with a <testsuites> or <testsuite> root element',
    );
    expect(() =>
      parseResults(
        'junit',
        '<!DOCTYPE x [<!ENTITY a "aaaa">]><testsuite name="x"/>',
        { receivedAt },
      ),
    ).toThrow(/DOCTYPE/);
  });

  describe('Great Expectations checkpoint results', () => {
    const parse = (doc: object) =>
      parseResults('great-expectations', JSON.stringify(doc), { receivedAt });
    const checkpoint = () =>
      JSON.parse(read('great-expectations-0.18-checkpoint.json'));
    const ordersKey =
      'ValidationResultIdentifier::orders.critical/__none__/20260615T080000.118264Z/warehouse-analytics.orders';

    it('prefixes check ids with the suite, so two suites do not collide', () => {
      const { run } = parse(checkpoint());
      const notNull = run.checks.filter(
        c => c.name === 'expect_column_values_to_not_be_null(id)',
      );
      expect(notNull.map(c => [c.checkId, c.dataset])).toEqual([
        [
          'orders.critical:expect_column_values_to_not_be_null(id)',
          'analytics.orders',
        ],
        [
          'customers.critical:expect_column_values_to_not_be_null(id)',
          'analytics.customers',
        ],
      ]);
    });

    it('keeps the ids of a single validation as if it were posted alone', () => {
      const doc = checkpoint();
      const orders = doc.run_results[ordersKey];
      doc.run_results = { [ordersKey]: orders };
      const alone = parse(orders.validation_result);
      expect(parse(doc).run.checks).toEqual(alone.run.checks);
      expect(parse(doc).run.runId).toBe(
        'nightly_orders:2026-06-15T08:00:00.118264+00:00',
      );
    });

    it('reads GX 1.x run_results that hold the validation results themselves', () => {
      const customers = JSON.parse(read('great-expectations-1.x.json'));
      const eu = structuredClone(customers);
      eu.meta.active_batch_definition.data_asset_name = 'customers_eu';
      eu.meta.validation_time = '2026-06-15T06:00:09.004211+00:00';
      const doc = {
        run_id: customers.meta.run_id,
        run_results: {
          'ValidationResultIdentifier::customers_suite/__none__/20260615T060000.412117Z/warehouse-customers':
            customers,
          'ValidationResultIdentifier::customers_suite/__none__/20260615T060000.412117Z/warehouse-customers_eu':
            eu,
        },
        success: false,
      };
      const { run } = parse(doc);
      expect(run.runId).toBe('2026-06-15T06:00:00.412117+00:00');
      expect(run.startedAt).toBe('2026-06-15T06:00:00.412Z');
      expect(run.finishedAt).toBe('2026-06-15T06:00:09.004Z');
      expect(run.checks).toHaveLength(8);
      // One suite on two assets: the asset tells the checks apart.
      expect(run.checks.map(c => [c.checkId, c.dataset])[0]).toEqual([
        'customers_suite:customers:6e0bd2b1-1f0a-4c51-9e6e-0b8d7a0f2c11',
        'customers',
      ]);
      expect(run.checks.map(c => [c.checkId, c.dataset])[4]).toEqual([
        'customers_suite:customers_eu:6e0bd2b1-1f0a-4c51-9e6e-0b8d7a0f2c11',
        'customers_eu',
      ]);
    });

    it('answers a bad validation naming its path inside the checkpoint', () => {
      const doc = checkpoint();
      doc.run_results[ordersKey].validation_result.results[2].success = 'no';
      expect(() => parse(doc)).toThrow(
        `body.run_results[${JSON.stringify(
          ordersKey,
        )}].validation_result.results[2].success: expected true or false`,
      );

      const bare = checkpoint();
      bare.run_results[ordersKey] =
        bare.run_results[ordersKey].validation_result;
      delete bare.run_results[ordersKey].results[0].expectation_config
        .expectation_type;
      expect(() => parse(bare)).toThrow(
        `body.run_results[${JSON.stringify(
          ordersKey,
        )}].results[0].expectation_config: expected expectation_type (GE 0.x) or type (GX 1.x)`,
      );

      const described = JSON.parse(
        read('great-expectations-1.x-checkpoint-describe.json'),
      );
      described.validation_results[1].expectations[0].success = 1;
      expect(() => parse(described)).toThrow(
        /^body\.validation_results\[1\]\.expectations\[0\]\.success: expected true or false/,
      );
    });

    it('refuses a checkpoint result without validations', () => {
      expect(() => parse({ ...checkpoint(), run_results: {} })).toThrow(
        'body.run_results: a checkpoint result must hold at least one validation',
      );
      expect(() =>
        parse({ success: true, statistics: {}, validation_results: [] }),
      ).toThrow(
        'body.validation_results: a checkpoint result must hold at least one validation',
      );
      expect(() => parse({ ...checkpoint(), run_results: [] })).toThrow(
        /^body\.run_results: expected the validations/,
      );
    });
  });

  it('rejects a Quanta run that finishes before it starts', () => {
    const quanta = JSON.parse(read('quanta.json'));
    quanta.startedAt = '2026-06-15T11:00:00+02:00';
    expect(() =>
      parseResults('quanta', JSON.stringify(quanta), { receivedAt }),
    ).toThrow(/^body\.startedAt: .* is after finishedAt/);
  });

  it('reads dbt source freshness as timeliness checks', () => {
    const doc = JSON.parse(read('dbt-run-results-v6.json'));
    doc.results = [
      {
        ...doc.results[2],
        unique_id: 'source.sales.raw.orders',
        status: 'error',
        message: 'Source raw.orders is 26 hours old',
        relation_name: 'raw.orders',
      },
      {
        ...doc.results[2],
        unique_id: 'source.sales.raw.customers',
        status: 'runtime error',
        message: 'relation raw.customers does not exist',
      },
    ];
    const { run } = parseResults('dbt', JSON.stringify(doc), { receivedAt });
    expect(
      run.checks.map(c => [c.checkId, c.status, c.dimension, c.dataset]),
    ).toEqual([
      ['source.sales.raw.orders', 'fail', 'timeliness', 'raw.orders'],
      ['source.sales.raw.customers', 'error', 'timeliness', undefined],
    ]);
  });

  it('keeps ids that fit the store, unique within a run', () => {
    const long = 'x'.repeat(400);
    const doc = JSON.parse(read('datacontract-test-run.json'));
    doc.checks = [
      { ...doc.checks[0], key: long },
      { ...doc.checks[0], key: long },
    ];
    const { run } = parseResults('datacontract', JSON.stringify(doc), {
      receivedAt,
    });
    const [a, b] = run.checks.map(c => c.checkId);
    expect(a.length).toBeLessThanOrEqual(255);
    expect(b.length).toBeLessThanOrEqual(255);
    expect(a).not.toBe(b);
  });

  it('maps check names to quality dimensions', () => {
    expect(
      [
        'expect_table_row_count_to_be_between',
        'expect_column_values_to_not_be_null',
        'expect_column_values_to_be_unique',
        'expect_column_distinct_values_to_be_in_set',
        'expect_column_values_to_match_regex',
        'expect_column_mean_to_be_between',
        'expect_table_columns_to_match_ordered_list',
        'missing_count(email) = 0',
        'duplicate_count(id) = 0',
        'freshness(created_at) < 1d',
        'invalid_percent(status) < 1 %',
        'field_required',
        'field_unique',
        'field_type',
        'field_enum',
        'servicelevel_freshness',
        'dbt_utils_recency_orders_day__ordered_at__1',
        'test_login_works',
      ].map(name => [name, dimensionOf(name)]),
    ).toEqual([
      ['expect_table_row_count_to_be_between', 'completeness'],
      ['expect_column_values_to_not_be_null', 'completeness'],
      ['expect_column_values_to_be_unique', 'uniqueness'],
      ['expect_column_distinct_values_to_be_in_set', 'validity'],
      ['expect_column_values_to_match_regex', 'validity'],
      ['expect_column_mean_to_be_between', 'accuracy'],
      ['expect_table_columns_to_match_ordered_list', 'consistency'],
      ['missing_count(email) = 0', 'completeness'],
      ['duplicate_count(id) = 0', 'uniqueness'],
      ['freshness(created_at) < 1d', 'timeliness'],
      ['invalid_percent(status) < 1 %', 'validity'],
      ['field_required', 'completeness'],
      ['field_unique', 'uniqueness'],
      ['field_type', 'consistency'],
      ['field_enum', 'validity'],
      ['servicelevel_freshness', 'timeliness'],
      ['dbt_utils_recency_orders_day__ordered_at__1', 'timeliness'],
      ['test_login_works', undefined],
    ]);
  });

  it('reads the date-times the tools write', () => {
    expect(isoOf('20260615T100004.812233Z')).toBe('2026-06-15T10:00:04.812Z');
    expect(isoOf('2026-06-15T13:00:05')).toBe('2026-06-15T13:00:05.000Z');
    expect(isoOf('2026-06-15 10:17:50+00:00')).toBe('2026-06-15T10:17:50.000Z');
    expect(isoOf('2026-06-15T06:00:00.412117+00:00')).toBe(
      '2026-06-15T06:00:00.412Z',
    );
    expect(isoOf('yesterday')).toBeUndefined();
  });
});

const dbtSchemas = sharedSuite(
  'standards/dbt',
  "the dbt samples against dbt's published schemas",
);
dbtSchemas.describe(dbtSchemas.title, () => {
  const dir = dbtSchemas.dir;
  it.each([
    ['dbt-run-results-v5.json', 'run-results-v5.json'],
    ['dbt-run-results-v6.json', 'run-results-v6.json'],
    ['dbt-sources-v2.json', 'sources-v2.json'],
  ])('%s follows %s', (sample, schemaFile) => {
    const schema = JSON.parse(
      fs.readFileSync(path.join(dir, schemaFile), 'utf8'),
    );
    // run_results v5 and v6 are JSON Schema 2020-12, sources v2 draft-07.
    const ajv = String(schema.$schema).includes('2020-12')
      ? new Ajv2020({ strict: false, allErrors: true })
      : new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    validate(JSON.parse(read(sample)));
    expect(validate.errors ?? []).toEqual([]);
  });
});
