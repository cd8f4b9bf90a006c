import { ConfigReader } from '@backstage/config';
import {
  type DataProductEntity,
  validateDataProduct,
} from '@quanta/plugin-data-mesh-common';
import { createMeshIndex } from './meshIndex';
import {
  PolicyEngine,
  registerPolicies,
  waiverEnd,
  waiversFromDescriptor,
} from './PolicyEngine';
import { readConfigPolicies, readLevels } from './configPolicies';
import type { DataMeshPolicy, PolicyContext } from './types';

function product(
  name: string,
  spec: Partial<DataProductEntity['spec']> = {},
  metadata: Record<string, unknown> = {},
): DataProductEntity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace: 'default', ...metadata },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'group:default/sales-data',
      domain: 'domain:default/sales',
      outputPorts: [
        {
          name: 'table',
          type: 'table',
          format: 'parquet',
          address: `s3://lake/${name}/`,
        },
      ],
      ...spec,
    },
  };
}

const context = (now = '2026-06-15T12:00:00Z'): PolicyContext => ({
  mesh: createMeshIndex([]),
  now: new Date(now),
  facts: {},
});

const hasSlos: DataMeshPolicy = {
  id: 'test.slos',
  title: 'SLOs declared',
  attribute: 'trustworthy',
  severity: 'error',
  rationale: 'Consumers need promises.',
  howToFix: 'Add spec.slos.',
  check: p =>
    p.spec.slos ? { status: 'pass' } : { status: 'fail', message: 'No SLOs' },
};
const hasTags: DataMeshPolicy = {
  id: 'test.tags',
  title: 'Tags',
  attribute: 'discoverable',
  severity: 'info',
  rationale: 'Tags help search.',
  howToFix: 'Add metadata.tags.',
  check: p =>
    p.metadata.tags?.length
      ? { status: 'pass' }
      : { status: 'fail', message: 'No tags' },
};
const retentionIfPii: DataMeshPolicy = {
  id: 'test.retention',
  title: 'PII has retention',
  attribute: 'secure',
  severity: 'error',
  rationale: 'PII must not be kept forever.',
  howToFix: 'Set spec.retention.',
  check: p => {
    if (!p.spec.containsPii) return { status: 'not-applicable' };
    return p.spec.retention
      ? { status: 'pass' }
      : { status: 'fail', message: 'PII without retention' };
  },
};
const broken: DataMeshPolicy = {
  ...hasTags,
  id: 'test.broken',
  check: () => {
    throw new Error('boom');
  },
};
const salesOnly: DataMeshPolicy = {
  ...hasTags,
  id: 'test.sales-tags',
  scope: 'domain:default/sales',
};

const engine = (policies: DataMeshPolicy[], levels = [] as any[]) =>
  new PolicyEngine({
    policies: registerPolicies(policies, 'built-in'),
    levels,
  });

describe('PolicyEngine', () => {
  it('scores each attribute and the whole product by the share of applicable policies passed', () => {
    const card = engine([hasSlos, hasTags, retentionIfPii]).evaluate(
      product('orders', {}, { tags: ['sales'] }),
      context(),
    );
    expect(card.entityRef).toBe('dataproduct:default/orders');
    expect(card.results).toEqual([
      { policyId: 'test.slos', status: 'fail', message: 'No SLOs' },
      { policyId: 'test.tags', status: 'pass' },
      { policyId: 'test.retention', status: 'not-applicable' },
    ]);
    // not-applicable counts neither way: 1 of 2 applicable passed.
    expect(card.score).toBe(50);
    expect(card.attributes).toEqual({ trustworthy: 0, discoverable: 100 });
  });

  it('applies a domain policy only to that domain, which is how domains add local rules', () => {
    const e = engine([salesOnly]);
    expect(e.evaluate(product('orders'), context()).results).toHaveLength(1);
    expect(
      e.evaluate(product('leads', { domain: 'marketing' }), context()).results,
    ).toEqual([]);
  });

  it('records a policy that throws as an error that does not pass', () => {
    const card = engine([broken]).evaluate(product('orders'), context());
    expect(card.results).toEqual([
      {
        policyId: 'test.broken',
        status: 'error',
        message: 'The policy failed to run: boom',
      },
    ]);
    expect(card.score).toBe(0);
  });

  describe('waivers', () => {
    const waived = product('orders', {
      waivers: [
        {
          policy: 'test.slos',
          reason: 'Pilot until the pipeline is stable',
          expires: '2026-06-30',
          approvedBy: 'user:default/maria.silva',
        },
      ],
    });

    it('turns a failure into waived while the waiver lasts, which counts as passing', () => {
      const card = engine([hasSlos]).evaluate(
        waived,
        context('2026-06-30T23:00:00Z'),
      );
      expect(card.results).toEqual([
        {
          policyId: 'test.slos',
          status: 'waived',
          message:
            'Waived until 2026-06-30 by user:default/maria.silva: Pilot until the pipeline is stable. Without the waiver: No SLOs',
        },
      ]);
      expect(card.score).toBe(100);
    });

    it('stops applying after its expiry date', () => {
      const card = engine([hasSlos]).evaluate(
        waived,
        context('2026-07-01T00:00:01Z'),
      );
      expect(card.results[0].status).toBe('fail');
    });

    it('also takes waivers granted through the API', () => {
      const card = engine([hasTags]).evaluate(product('orders'), context(), [
        {
          entityRef: 'dataproduct:default/orders',
          policyId: 'test.tags',
          reason: 'Tagged in the next release',
          expiresAt: '2026-07-01T00:00:00Z',
          grantedBy: 'user:default/ravi.patel',
          source: 'api',
        },
      ]);
      expect(card.results[0].status).toBe('waived');
    });

    it('leaves a passing policy passing', () => {
      const card = engine([hasSlos]).evaluate(
        { ...waived, spec: { ...waived.spec, slos: { freshness: 'PT1H' } } },
        context(),
      );
      expect(card.results[0]).toEqual({
        policyId: 'test.slos',
        status: 'pass',
      });
    });

    const withWaiver = (waiver: Record<string, unknown>) =>
      product('orders', {
        waivers: [
          {
            policy: 'test.slos',
            reason: 'Pilot until the pipeline is stable',
            expires: '2026-06-30',
            ...waiver,
          } as any,
        ],
      });

    it('does not apply a waiver that ends on a day that does not exist, and says why', () => {
      const card = engine([hasSlos]).evaluate(
        withWaiver({ expires: '2026-02-30' }),
        context('2026-01-15T00:00:00Z'),
      );
      expect(card.results).toEqual([
        {
          policyId: 'test.slos',
          status: 'fail',
          message:
            'No SLOs. A waiver for this policy was ignored: spec.waivers[0].expires: found "2026-02-30", a day February 2026 does not have (it has 28 days), expected a date that exists: the date the waiver ends, such as 2027-03-31',
        },
      ]);
      expect(card.score).toBe(0);
    });

    it('does not apply a waiver without a reason, and says why', () => {
      const card = engine([hasSlos]).evaluate(
        withWaiver({ reason: '' }),
        context(),
      );
      expect(card.results[0]).toEqual({
        policyId: 'test.slos',
        status: 'fail',
        message:
          'No SLOs. A waiver for this policy was ignored: spec.waivers[0].reason: found "", expected why the product is exempt',
      });
    });

    it('says nothing of an ignored waiver when the policy passes anyway', () => {
      const card = engine([hasSlos]).evaluate(
        {
          ...withWaiver({ reason: '' }),
          spec: {
            ...withWaiver({ reason: '' }).spec,
            slos: { freshness: 'PT1H' },
          },
        },
        context(),
      );
      expect(card.results[0]).toEqual({
        policyId: 'test.slos',
        status: 'pass',
      });
    });

    // Each of these the validator rejects, so the engine must not apply it;
    // the controls at the end it accepts, and the engine applies them.
    const declared: Array<[string, Record<string, unknown>, boolean]> = [
      ['month 13', { expires: '2026-13-01' }, false],
      ['30 February', { expires: '2026-02-30' }, false],
      ['29 February of a common year', { expires: '2026-02-29' }, false],
      ['31 June', { expires: '2026-06-31' }, false],
      ['hour 24', { expires: '2026-06-30T24:00Z' }, false],
      ['minute 60', { expires: '2026-06-30T23:60Z' }, false],
      ['an offset of 25 hours', { expires: '2026-06-30T12:00+25:00' }, false],
      ['a date in words', { expires: 'end of June' }, false],
      ['a day-first date', { expires: '30/06/2026' }, false],
      ['an empty reason', { reason: '' }, false],
      ['a blank reason', { reason: '   ' }, false],
      ['a reason of invisible characters', { reason: '\u200b\ufeff' }, false],
      ['a reason that is a number', { reason: 42 }, false],
      ['no reason', { reason: undefined }, false],
      ['an approver with spaces', { approvedBy: 'maria silva' }, false],
      ['an unknown field', { scope: 'everything' }, false],
      ['29 February of a leap year', { expires: '2028-02-29' }, true],
      [
        'a date-time with an offset',
        { expires: '2026-06-30T23:00+02:00' },
        true,
      ],
      [
        'a date-time without an offset, read as UTC',
        { expires: '2026-06-30T12:00' },
        true,
      ],
    ];

    it.each(declared)(
      'agrees with the validator on a waiver with %s',
      (_name, fields, valid) => {
        const entity = withWaiver(fields);
        const waiverProblems = validateDataProduct(entity).filter(p =>
          p.path.startsWith('spec.waivers'),
        );
        expect(waiverProblems.length === 0).toBe(valid);
        expect(waiversFromDescriptor(entity)).toHaveLength(valid ? 1 : 0);
        const card = engine([hasSlos]).evaluate(
          entity,
          context('2026-01-15T00:00:00Z'),
        );
        expect(card.results[0].status).toBe(valid ? 'waived' : 'fail');
        // An ignored waiver is named in the failure, with the validator's words.
        const why = waiverProblems.length
          ? `A waiver for this policy was ignored: ${waiverProblems[0].path}: found`
          : 'was ignored';
        expect(card.results[0].message?.includes(why)).toBe(!valid);
      },
    );

    it('does not apply an API waiver whose end is not a date that exists', () => {
      const card = engine([hasTags]).evaluate(product('orders'), context(), [
        {
          entityRef: 'dataproduct:default/orders',
          policyId: 'test.tags',
          reason: 'Tagged in the next release',
          expiresAt: '2026-06-31T00:00:00Z',
          grantedBy: 'user:default/ravi.patel',
          source: 'api',
        },
      ]);
      expect(card.results[0].status).toBe('fail');
    });
  });

  describe('waiverEnd', () => {
    it.each([
      ['2026-06-30', Date.UTC(2026, 5, 30, 23, 59, 59, 999)],
      ['2028-02-29', Date.UTC(2028, 1, 29, 23, 59, 59, 999)],
      ['2026-06-30T12:00Z', Date.UTC(2026, 5, 30, 12)],
      ['2026-06-30T12:00', Date.UTC(2026, 5, 30, 12)],
      ['2026-06-30T12:00:30.5+02:00', Date.UTC(2026, 5, 30, 10, 0, 30, 500)],
      ['2026-07-01T00:00:00.000Z', Date.UTC(2026, 6, 1)],
    ])('reads %j', (expiresAt, end) => {
      expect(waiverEnd(expiresAt)).toBe(end);
    });

    it.each([
      '2026-02-30',
      '2026-13-01',
      '2026-06-30T24:00Z',
      '2026-06-30T23:59:60Z',
      'next week',
      '',
      '2026-06-30T12:00:00+0200',
    ])('never lets %j apply', expiresAt => {
      expect(waiverEnd(expiresAt)).toBe(-Infinity);
    });
  });

  describe('levels', () => {
    const ladder = [
      { name: 'Bronze', policies: ['test.tags'] },
      { name: 'Silver', policies: ['test.slos', 'test.retention'] },
      { name: 'Gold', policies: ['test.sales-tags'] },
    ];
    const e = engine([hasSlos, hasTags, retentionIfPii, salesOnly], ladder);

    it('is the highest level whose policies, and those of every level below, all pass', () => {
      const full = product(
        'orders',
        { slos: { freshness: 'PT1H' } },
        { tags: ['x'] },
      );
      expect(e.evaluate(full, context()).level).toBe('Gold');
      expect(
        e.evaluate(
          { ...full, metadata: { ...full.metadata, tags: [] } },
          context(),
        ).level,
      ).toBeUndefined();
      expect(
        e.evaluate(
          { ...full, spec: { ...full.spec, containsPii: true } },
          context(),
        ).level,
      ).toBe('Bronze');
    });

    it('does not hold a product back on policies outside its scope', () => {
      const marketing = product(
        'leads',
        { domain: 'marketing', slos: { freshness: 'PT1H' } },
        { tags: ['x'] },
      );
      expect(e.evaluate(marketing, context()).level).toBe('Gold');
    });
  });

  it('refuses duplicate policy ids and levels that name unknown policies', () => {
    expect(() => engine([hasTags, hasTags])).toThrow(
      'Policy id "test.tags" is declared twice (built-in and built-in); policy ids must be unique',
    );
    expect(() =>
      engine([hasTags], [{ name: 'Bronze', policies: ['test.nope'] }]),
    ).toThrow(
      'Level "Bronze" names unknown policies: test.nope; expected ids from the policy catalog',
    );
  });
});

describe('config policies', () => {
  const config = (policies: unknown[], levels: unknown[] = []) =>
    new ConfigReader({ dataMesh: { policies, levels } } as any);
  const base = {
    id: 'sales.tags-present',
    title: 'Sales products are tagged',
    attribute: 'discoverable',
    severity: 'warning',
    scope: 'domain:default/sales',
    rationale: 'Sales searches by tag.',
    howToFix: 'Add metadata.tags.',
    rule: { 'metadata.tags': { $exists: true } },
    failMessage: 'The product has no tags',
  };

  it('evaluates a domain-local rule given as a filter predicate', () => {
    const e = new PolicyEngine({
      policies: readConfigPolicies(config([base])),
    });
    expect(e.policies).toEqual([
      {
        id: 'sales.tags-present',
        title: 'Sales products are tagged',
        attribute: 'discoverable',
        severity: 'warning',
        scope: 'domain:default/sales',
        rationale: 'Sales searches by tag.',
        howToFix: 'Add metadata.tags.',
        source: 'config',
      },
    ]);
    expect(e.evaluate(product('orders'), context()).results).toEqual([
      {
        policyId: 'sales.tags-present',
        status: 'fail',
        message: 'The product has no tags',
      },
    ]);
    expect(
      e.evaluate(product('orders', {}, { tags: ['sales'] }), context())
        .results[0].status,
    ).toBe('pass');
    expect(
      e.evaluate(
        product('leads', { domain: 'domain:default/marketing' }),
        context(),
      ).results,
    ).toEqual([]);
  });

  it('supports logical operators and appliesTo', () => {
    const policy = {
      ...base,
      id: 'mesh.pii-classified',
      scope: 'global',
      appliesTo: { 'spec.containsPii': true },
      rule: {
        'spec.classification': { $in: ['confidential', 'restricted'] },
      },
    };
    const e = new PolicyEngine({
      policies: readConfigPolicies(config([policy])),
    });
    const statusOf = (spec: any) =>
      e.evaluate(product('p', spec), context()).results[0].status;
    expect(statusOf({})).toBe('not-applicable');
    expect(statusOf({ containsPii: true, classification: 'public' })).toBe(
      'fail',
    );
    expect(statusOf({ containsPii: true, classification: 'restricted' })).toBe(
      'pass',
    );
  });

  it.each([
    [
      { id: 'Bad Id' },
      'dataMesh.policies[0].id: found "Bad Id", expected a lower-case id',
    ],
    [
      { severity: 'high' },
      'dataMesh.policies[0].severity: found "high", expected one of info, warning, error',
    ],
    [
      { attribute: 'fast' },
      'dataMesh.policies[0].attribute: found "fast", expected one of discoverable',
    ],
    [
      { scope: 'sales' },
      'dataMesh.policies[0].scope: found "sales", expected global, or a domain reference such as domain:default/sales',
    ],
    [
      { rationale: undefined },
      'dataMesh.policies[0].rationale: found nothing, expected one line on why the rule exists',
    ],
    [{ rule: undefined }, 'dataMesh.policies[0]: '],
  ])(
    'rejects a bad policy %j with a message naming the key',
    (change, message) => {
      expect(() =>
        readConfigPolicies(config([{ ...base, ...change }])),
      ).toThrow(message);
    },
  );

  it('reads levels', () => {
    expect(
      readLevels(
        config([], [{ name: 'Bronze', policies: ['sales.tags-present'] }]),
      ),
    ).toEqual([{ name: 'Bronze', policies: ['sales.tags-present'] }]);
    expect(() => readLevels(config([], [{ name: 'Bronze' }]))).toThrow(
      'dataMesh.levels[0].policies: found nothing, expected a list of policy ids',
    );
  });
});
