import type {
  QualityBreachesResponse,
  QualityPassRateDay,
  QualityResponse,
} from '@quanta/plugin-data-mesh-common';
import type { DataMeshQualityApi } from '../api/DataMeshQualityApi';

/** 30 days up to 2026-06-15, with results on the last 20. */
function passRate(): QualityPassRateDay[] {
  return Array.from({ length: 30 }, (_, i) => {
    const day = new Date(Date.UTC(2026, 4, 17 + i)).toISOString().slice(0, 10);
    if (i < 10) return { day, checks: 0, passed: 0 };
    const passed = i === 29 ? 18 : 20;
    return { day, checks: 20, passed, passRate: (passed / 20) * 100 };
  });
}

/** The quality of the sample product, as the backend answers. */
export function sampleQuality(
  overrides: Partial<QualityResponse> = {},
): QualityResponse {
  return {
    entityRef: 'dataproduct:default/orders',
    evaluatedAt: '2026-06-15T12:00:00.000Z',
    windowDays: 30,
    hasResults: true,
    latestRun: {
      source: 'dbt',
      runId: '5f0c6b1e',
      startedAt: '2026-06-15T10:00:01.800Z',
      finishedAt: '2026-06-15T10:04:12.118Z',
      receivedAt: '2026-06-15T10:04:13.000Z',
      url: 'https://ci.acme.example/sales/orders/pipelines/4711',
      lastUpdatedAt: '2026-06-15T10:04:12.118Z',
      checks: 20,
      pass: 17,
      warn: 1,
      fail: 1,
      error: 1,
    },
    latestRuns: [],
    failing: [
      {
        checkId: 'test.sales.accepted_values_orders_status.be6b5b5ec3',
        name: 'accepted_values_orders_status',
        status: 'fail',
        dimension: 'validity',
        measured: 3,
        threshold: 'fail if != 0',
        message: 'Got 3 results, configured to fail if != 0',
        source: 'dbt',
        runId: '5f0c6b1e',
        at: '2026-06-15T10:04:12.118Z',
      },
      {
        checkId: 'snapshot.sales.orders_snapshot',
        name: 'snapshot orders_snapshot builds',
        status: 'error',
        message: 'canceling statement due to statement timeout',
        dataset: 'analytics.snapshots.orders_snapshot',
        source: 'dbt',
        runId: '5f0c6b1e',
        at: '2026-06-15T10:04:12.118Z',
      },
    ],
    passRate: passRate(),
    slos: [
      {
        slo: 'freshness',
        objective: 'PT6H',
        status: 'met',
        message:
          'The newest data arrived 1 hour 55 minutes ago; the objective is 6 hours',
        current: 6_900_000,
        errorBudget: {
          target: 99,
          unit: 'minutes',
          total: 43200,
          allowed: 432,
          used: 180,
          remaining: 252,
        },
      },
      {
        slo: 'completeness',
        objective: 99.5,
        status: 'breached',
        message:
          '9 of 600 completeness check results failed in the last 30 days: 98.5% good, the target is 99.5%',
        current: 98.5,
        errorBudget: {
          target: 99.5,
          unit: 'results',
          total: 600,
          allowed: 3,
          used: 9,
          remaining: -6,
        },
      },
      {
        slo: 'availability',
        objective: 99.9,
        status: 'no-data',
        message: 'No runs in the last 30 days',
      },
    ],
    notes: [],
    ...overrides,
  };
}

export function sampleBreaches(): QualityBreachesResponse {
  return {
    evaluatedAt: '2026-06-15T12:00:00.000Z',
    products: 12,
    noData: 3,
    domains: [
      {
        domain: 'domain:default/sales',
        items: [
          {
            entityRef: 'dataproduct:default/orders',
            title: 'Orders',
            domain: 'domain:default/sales',
            owner: 'group:default/sales-data',
            breached: [
              {
                slo: 'completeness',
                message:
                  '9 of 600 completeness check results failed in the last 30 days: 98.5% good, the target is 99.5%',
              },
            ],
          },
        ],
      },
      {
        domain: 'none',
        items: [
          {
            entityRef: 'dataproduct:default/clickstream',
            breached: [
              {
                slo: 'freshness',
                message:
                  'The newest data arrived 9 hours ago; the objective is 1 hour',
              },
            ],
          },
        ],
      },
    ],
  };
}

/** A quality API whose calls fail unless a test gives them an answer. */
export function mockQualityApi(
  overrides: Partial<Record<keyof DataMeshQualityApi, jest.Mock>> = {},
): jest.Mocked<DataMeshQualityApi> {
  return {
    getQuality: jest.fn(async () => sampleQuality()),
    getQualityBreaches: jest.fn(async () => sampleBreaches()),
    ...overrides,
  } as jest.Mocked<DataMeshQualityApi>;
}
