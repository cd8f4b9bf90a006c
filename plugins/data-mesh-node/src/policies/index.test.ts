import { POLICY_ATTRIBUTES } from '@quanta/plugin-data-mesh-common';
import { PolicyEngine, registerPolicies } from '../engine/PolicyEngine';
import { NOW, meshWith, product } from './__fixtures__/mesh';
import { builtInPolicies } from './index';

describe('builtInPolicies', () => {
  it('has at least 30 policies with unique quanta.* ids', () => {
    const ids = builtInPolicies.map(p => p.id);
    expect(ids.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids)
      expect(id).toMatch(/^quanta\.[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('describes every policy: title, one-line rationale and a fix naming a descriptor field', () => {
    for (const policy of builtInPolicies) {
      const where = `policy ${policy.id}`;
      expect({ where, title: policy.title.trim().length > 0 }).toEqual({
        where,
        title: true,
      });
      expect({ where, rationale: policy.rationale }).toEqual({
        where,
        rationale: expect.stringMatching(/^[^\n]{10,}$/),
      });
      expect({ where, howToFix: policy.howToFix }).toEqual({
        where,
        howToFix: expect.stringMatching(/(spec|metadata)\.[a-zA-Z]/),
      });
      expect(POLICY_ATTRIBUTES).toContain(policy.attribute);
      expect(['info', 'warning', 'error']).toContain(policy.severity);
    }
  });

  it('serves every usability attribute and both housekeeping categories', () => {
    const covered = new Set(builtInPolicies.map(p => p.attribute));
    expect(POLICY_ATTRIBUTES.filter(a => !covered.has(a))).toEqual([]);
  });

  it('registers with the engine', () => {
    const engine = new PolicyEngine({
      policies: registerPolicies(builtInPolicies, 'built-in'),
    });
    expect(engine.policies).toHaveLength(builtInPolicies.length);
    expect(engine.policies.every(p => p.scope === 'global')).toBe(true);
  });

  it('passes a complete product on every policy that needs no facts', () => {
    const orders = product('orders');
    const engine = new PolicyEngine({
      policies: registerPolicies(builtInPolicies, 'built-in'),
    });
    const card = engine.evaluate(orders, {
      mesh: meshWith(orders),
      now: NOW,
      facts: {},
    });
    const notPassing = card.results.filter(r => r.status !== 'pass');
    expect(notPassing.map(r => [r.policyId, r.status])).toEqual([
      ['quanta.quality-checks-passing', 'not-applicable'],
      ['quanta.data-fresh', 'not-applicable'],
      ['quanta.pii-retention', 'not-applicable'],
      ['quanta.pii-regulations', 'not-applicable'],
      ['quanta.pii-fields-declared', 'not-applicable'],
      ['quanta.pii-not-public', 'not-applicable'],
      ['quanta.classification-covers-fields', 'not-applicable'],
      ['quanta.no-deprecated-dependency', 'not-applicable'],
      ['quanta.upstream-output-port-exists', 'not-applicable'],
      ['quanta.deprecated-without-consumers', 'not-applicable'],
      ['quanta.production-reads-no-experimental', 'not-applicable'],
      ['quanta.lineage-matches-declared', 'not-applicable'],
      ['quanta.contract-readable', 'not-applicable'],
      ['quanta.contract-version-matches', 'not-applicable'],
      ['quanta.contract-schema-matches', 'not-applicable'],
      ['quanta.contract-sla-matches-slos', 'not-applicable'],
      ['quanta.contract-breaking-change-major', 'not-applicable'],
      ['quanta.contract-breaking-change-notice', 'not-applicable'],
      ['quanta.access-sensitive-grants-reviewed', 'not-applicable'],
      ['quanta.access-grant-consumer-active', 'not-applicable'],
    ]);
    expect(card.score).toBe(100);
  });

  it('never throws on a product with a malformed spec', () => {
    const broken = {
      apiVersion: 'quanta.dev/v1alpha1',
      kind: 'DataProduct',
      metadata: { name: 'broken' },
      spec: {
        inputPorts: [null, 'x', { name: 'a' }],
        outputPorts: [null, { name: 'p', schema: [null, { name: 'f' }] }],
        slos: null,
      },
    } as any;
    const context = {
      mesh: meshWith(broken),
      now: NOW,
      facts: { quality: { checks: [], lastUpdatedAt: 'x' } },
    };
    for (const policy of builtInPolicies) {
      expect(() => policy.check(broken, context)).not.toThrow();
    }
  });
});
