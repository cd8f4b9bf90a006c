import type {
  AdoptionResponse,
  PoliciesResponse,
  PolicyDescription,
  Rollup,
  ScorecardResponse,
  ScorecardSummary,
} from '@quanta/plugin-data-mesh-common';
import type { DataMeshApi } from '../api';

/** A handful of realistic policies across attributes and severities. */
export const samplePolicies: PolicyDescription[] = [
  {
    id: 'quanta.owner-exists',
    title: 'Owner exists in the catalog',
    attribute: 'ownership',
    severity: 'error',
    scope: 'global',
    rationale: 'Someone must answer for the product.',
    howToFix: 'Set spec.owner to a group that exists in the catalog.',
    source: 'built-in',
  },
  {
    id: 'quanta.slos-declared',
    title: 'SLOs are declared',
    attribute: 'trustworthy',
    severity: 'warning',
    scope: 'global',
    rationale: 'Consumers need to know what to expect.',
    howToFix: 'Declare freshness and availability in spec.slos.',
    source: 'built-in',
  },
  {
    id: 'quanta.output-port-address',
    title: 'Every output port has an address',
    attribute: 'natively-accessible',
    severity: 'error',
    scope: 'global',
    rationale: 'Consumers read the data where it lives.',
    howToFix: 'Give each output port an address such as iceberg://lake/x.',
    source: 'built-in',
  },
  {
    id: 'quanta.description',
    title: 'Has a description',
    attribute: 'discoverable',
    severity: 'info',
    scope: 'global',
    rationale: 'People find products by what they are.',
    howToFix: 'Write metadata.description in one or two sentences.',
    source: 'built-in',
  },
];

export const samplePoliciesResponse: PoliciesResponse = {
  policies: samplePolicies,
  levels: [
    { name: 'Bronze', policies: ['quanta.owner-exists'] },
    {
      name: 'Silver',
      policies: ['quanta.output-port-address', 'quanta.slos-declared'],
    },
    { name: 'Gold', policies: ['quanta.description'] },
  ],
};

const policy = (id: string) => samplePolicies.find(p => p.id === id);

export function sampleScorecard(
  overrides: Partial<ScorecardResponse> = {},
): ScorecardResponse {
  return {
    entityRef: 'dataproduct:default/orders',
    domain: 'domain:default/sales',
    owner: 'group:default/sales-data',
    level: 'Bronze',
    score: 62.5,
    attributes: {
      ownership: 100,
      trustworthy: 40,
      'natively-accessible': 50,
      'valuable-on-its-own': 75,
      discoverable: 100,
    },
    evaluatedAt: '2026-11-20T10:00:00.000Z',
    runId: 7,
    results: [
      {
        policyId: 'quanta.owner-exists',
        status: 'pass',
        since: '2026-10-01T00:00:00.000Z',
        policy: policy('quanta.owner-exists'),
      },
      {
        policyId: 'quanta.slos-declared',
        status: 'fail',
        message: 'spec.slos declares no freshness',
        since: '2026-11-01T00:00:00.000Z',
        policy: policy('quanta.slos-declared'),
      },
      {
        policyId: 'quanta.output-port-address',
        status: 'fail',
        message: 'Output port order-events has no address',
        since: '2026-11-02T00:00:00.000Z',
        policy: policy('quanta.output-port-address'),
      },
      {
        policyId: 'quanta.description',
        status: 'waived',
        message: 'Waived: description is being rewritten',
        since: '2026-11-03T00:00:00.000Z',
        policy: policy('quanta.description'),
      },
    ],
    nextLevel: {
      name: 'Silver',
      blocking: ['quanta.output-port-address', 'quanta.slos-declared'],
    },
    waivers: [
      {
        id: 3,
        entityRef: 'dataproduct:default/orders',
        policyId: 'quanta.description',
        reason: 'The description is being rewritten with the data team',
        expiresAt: '2027-03-31',
        grantedBy: 'user:default/marcus.weber',
        grantedAt: '2026-11-03T09:00:00.000Z',
        source: 'api',
      },
    ],
    history: [
      { day: '2026-11-18', level: undefined, score: 40 },
      { day: '2026-11-19', level: 'Bronze', score: 55 },
      { day: '2026-11-20', level: 'Bronze', score: 62.5 },
    ],
    ...overrides,
  };
}

export function sampleSummary(
  overrides: Partial<ScorecardSummary> = {},
): ScorecardSummary {
  // The summary of sampleScorecard's product, with fewer attributes.
  const { entityRef, domain, owner, level, score, evaluatedAt } =
    sampleScorecard();
  return {
    entityRef,
    domain,
    owner,
    level,
    score,
    attributes: { ownership: 100, trustworthy: 40 },
    evaluatedAt,
    failing: ['quanta.slos-declared', 'quanta.output-port-address'],
    nextLevel: {
      name: 'Silver',
      blocking: ['quanta.output-port-address', 'quanta.slos-declared'],
    },
    ...overrides,
  };
}

export function sampleDomainRollup(overrides: Partial<Rollup> = {}): Rollup {
  return {
    day: '2026-11-20',
    kind: 'domain',
    key: 'domain:default/sales',
    products: 4,
    score: 71,
    levels: { none: 1, Bronze: 2, Silver: 1 },
    attributes: {
      ownership: 100,
      trustworthy: 43,
      'natively-accessible': 88,
    },
    ...overrides,
  };
}

export function sampleAdoption(
  overrides: Partial<AdoptionResponse> = {},
): AdoptionResponse {
  return {
    days: [
      {
        day: '2026-11-18',
        products: 5,
        fromTemplate: 1,
        score: 50,
        levels: { none: 3, Bronze: 2 },
      },
      {
        day: '2026-11-19',
        products: 6,
        fromTemplate: 2,
        score: 58,
        levels: { none: 2, Bronze: 3, Silver: 1 },
      },
      {
        day: '2026-11-20',
        products: 8,
        fromTemplate: 4,
        score: 64.4,
        levels: { none: 2, Bronze: 4, Silver: 2 },
      },
    ],
    policies: [
      {
        policyId: 'quanta.slos-declared',
        title: 'SLOs are declared',
        days: [
          { day: '2026-11-18', pass: 1, fail: 4, waived: 0, passRate: 20 },
          { day: '2026-11-20', pass: 3, fail: 5, waived: 0, passRate: 37.5 },
        ],
      },
      {
        policyId: 'quanta.owner-exists',
        title: 'Owner exists in the catalog',
        days: [
          { day: '2026-11-18', pass: 5, fail: 0, waived: 0, passRate: 100 },
          { day: '2026-11-20', pass: 8, fail: 0, waived: 0, passRate: 100 },
        ],
      },
    ],
    domains: [],
    topFailing: [
      {
        policyId: 'quanta.slos-declared',
        title: 'SLOs are declared',
        failing: 5,
        applicable: 8,
      },
    ],
    ...overrides,
  };
}

/** A DataMeshApi whose every method is a jest mock, failing until given a value. */
export function mockDataMeshApi(
  overrides: Partial<Record<keyof DataMeshApi, jest.Mock>> = {},
): jest.Mocked<DataMeshApi> {
  const unexpected = (name: string) =>
    jest.fn(async () => {
      throw new Error(`unexpected call to ${name}`);
    });
  return {
    getScorecard: unexpected('getScorecard'),
    listScorecards: unexpected('listScorecards'),
    getRollups: unexpected('getRollups'),
    getAdoption: unexpected('getAdoption'),
    getPolicies: jest.fn(async () => samplePoliciesResponse),
    listRuns: jest.fn(async () => ({ items: [] })),
    evaluate: unexpected('evaluate'),
    listWaivers: unexpected('listWaivers'),
    getLineage: unexpected('getLineage'),
    getMeshLineage: unexpected('getMeshLineage'),
    listUnmappedDatasets: unexpected('listUnmappedDatasets'),
    listFailedDescriptors: jest.fn(async () => ({
      available: true,
      items: [],
    })),
    getContracts: unexpected('getContracts'),
    checkContractImpact: unexpected('checkContractImpact'),
    getAccessPorts: unexpected('getAccessPorts'),
    requestAccess: unexpected('requestAccess'),
    listAccessRequests: unexpected('listAccessRequests'),
    getAccessRequest: unexpected('getAccessRequest'),
    getAccessInbox: unexpected('getAccessInbox'),
    decideAccessRequest: unexpected('decideAccessRequest'),
    listAccessGrants: unexpected('listAccessGrants'),
    // The overview asks for it on every render: nobody has access yet.
    getAccessAdoption: jest.fn(async () => ({
      days: 90,
      grants: 0,
      consumers: 0,
      pending: 0,
      products: [],
      domains: [],
      timeToApprove: { approved: 0, autoApproved: 0 },
    })),
    ...overrides,
  } as jest.Mocked<DataMeshApi>;
}
