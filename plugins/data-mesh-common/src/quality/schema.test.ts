import Ajv from 'ajv';
import { qualityResultsSchema } from './schema';
import {
  QUALITY_DIMENSIONS,
  QUALITY_SLO_KEYS,
  QUALITY_STATUSES,
  type QualityResultsDocument,
} from './types';

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  // Only what the schema uses; ajv-formats is a backend concern.
  ajv.addFormat('date-time', value => !Number.isNaN(Date.parse(value)));
  ajv.addFormat('uri', value => /^[a-z][a-z0-9+.-]*:/i.test(value));
  return ajv.compile(qualityResultsSchema);
}

const valid: QualityResultsDocument = {
  $schema: 'https://quanta.dev/schemas/QualityResults.v1.json',
  source: 'orders-nightly',
  runId: 'gh-8812734-1',
  startedAt: '2026-06-15T10:00:00Z',
  finishedAt: '2026-06-15T10:02:13Z',
  url: 'https://github.com/acme/orders/actions/runs/8812734',
  lastUpdatedAt: '2026-06-15T09:55:00Z',
  entityRef: 'dataproduct:default/orders',
  outputPort: 'orders-table',
  checks: [
    {
      checkId: 'orders_freshness',
      name: 'Newest order at most an hour old',
      status: 'pass',
      dimension: 'timeliness',
      slo: 'freshness',
      measured: 300,
      threshold: 3600,
    },
    {
      checkId: 'orders_completeness',
      name: 'Share of orders with a customer',
      status: 'fail',
      dimension: 'completeness',
      slo: 'completeness',
      measured: 98.2,
      threshold: '>= 99.5',
      message: '98.2% of orders have a customer, expected at least 99.5%',
      dataset: 'analytics.orders',
    },
  ],
};

describe('quality results schema', () => {
  it('accepts a complete document', () => {
    const validate = validator();
    expect(validate(valid)).toBe(true);
  });

  it('rejects what the backend rejects', () => {
    const validate = validator();
    const bad = (change: (doc: any) => void) => {
      const doc: any = structuredClone(valid);
      change(doc);
      return validate(doc);
    };
    expect(bad(doc => delete doc.runId)).toBe(false);
    expect(bad(doc => (doc.checks[0].status = 'passed'))).toBe(false);
    expect(bad(doc => (doc.checks[0].dimension = 'freshness'))).toBe(false);
    expect(bad(doc => (doc.checks[0].checkId = ''))).toBe(false);
    expect(bad(doc => (doc.entityRef = 'orders'))).toBe(false);
    expect(bad(doc => (doc.url = 'ftp://example.com/run'))).toBe(false);
    expect(bad(doc => (doc.extra = true))).toBe(false);
  });

  it('lists the same statuses, dimensions and SLOs as the types', () => {
    const check = (qualityResultsSchema as any).definitions.check.properties;
    expect(check.status.enum).toEqual([...QUALITY_STATUSES]);
    expect(check.dimension.enum).toEqual([...QUALITY_DIMENSIONS]);
    expect(check.slo.enum).toEqual([...QUALITY_SLO_KEYS]);
  });
});
