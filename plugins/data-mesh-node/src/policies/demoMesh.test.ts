/*
 * Runs every built-in policy over the demo mesh in examples/, loaded the way
 * the portal loads it (through the targets of examples/all.yaml), and checks
 * that governance flags exactly what examples/README.md says is wrong.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import type { Entity } from '@backstage/catalog-model';
import {
  type ProductScorecard,
  isDataProductEntity,
} from '@quanta/plugin-data-mesh-common';
import { createMeshIndex } from '../engine/meshIndex';
import { PolicyEngine, registerPolicies } from '../engine/PolicyEngine';
import { builtInPolicies } from './index';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (
      fs.existsSync(pkg) &&
      JSON.parse(fs.readFileSync(pkg, 'utf8')).workspaces !== undefined
    ) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`No workspace root above ${start}`);
    }
    dir = parent;
  }
}

const examplesDir = path.join(findRepoRoot(__dirname), 'examples');

function readEntities(file: string): Entity[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc, i) => {
    if (doc.errors.length) {
      throw new Error(
        `${file}, document ${i + 1}: ${doc.errors
          .map(e => e.message)
          .join('; ')}`,
      );
    }
    return doc.toJS() as Entity;
  });
}

function loadDemoMesh(): Entity[] {
  const [location] = readEntities(path.join(examplesDir, 'all.yaml'));
  const targets = (location.spec?.targets ?? []) as string[];
  return targets.flatMap(target =>
    readEntities(path.resolve(examplesDir, target)),
  );
}

const entities = loadDemoMesh();
const mesh = createMeshIndex(entities);
const engine = new PolicyEngine({
  policies: registerPolicies(builtInPolicies, 'built-in'),
});
const severity = new Map(builtInPolicies.map(p => [p.id, p.severity]));

const scorecards = new Map<string, ProductScorecard>(
  mesh.dataProducts().map(product => {
    const card = engine.evaluate(product, {
      mesh,
      now: new Date('2026-06-15T12:00:00Z'),
      facts: {},
    });
    return [card.entityRef, card];
  }),
);

function result(product: string, policyId: string) {
  const card = scorecards.get(`dataproduct:default/${product}`);
  if (!card) throw new Error(`No product ${product} in the demo mesh`);
  return card.results.find(r => r.policyId === policyId);
}

/** `product policy-id` for every error-severity policy a product fails. */
function errorFailures(): string[] {
  return [...scorecards.values()].flatMap(card =>
    card.results
      .filter(r => r.status === 'fail' && severity.get(r.policyId) === 'error')
      .map(r => `${card.entityRef.split('/')[1]} ${r.policyId}`),
  );
}

describe('built-in policies on the demo mesh', () => {
  it('loads the whole demo mesh', () => {
    // 39 products and the one broken on purpose, which is scored too.
    expect(entities.filter(isDataProductEntity)).toHaveLength(40);
    expect(scorecards.size).toBe(40);
  });

  it('runs every policy on every product without an error', () => {
    const errors = [...scorecards.values()].flatMap(card =>
      card.results
        .filter(r => r.status === 'error')
        .map(r => `${card.entityRef} ${r.policyId}: ${r.message}`),
    );
    expect(errors).toEqual([]);
  });

  it('flags support-tickets for keeping PII without a retention period', () => {
    expect(result('support-tickets', 'quanta.pii-retention')).toEqual({
      policyId: 'quanta.pii-retention',
      status: 'fail',
      message:
        'Contains PII (spec.containsPii is true) but spec.retention is not set, so nobody has decided how long it is kept',
    });
  });

  it('flags warehouse-picks for declaring no SLOs', () => {
    expect(result('warehouse-picks', 'quanta.slos-declared')).toEqual({
      policyId: 'quanta.slos-declared',
      status: 'fail',
      message: 'No SLOs: spec.slos is not set',
    });
  });

  it('flags delivery-performance for reading the experimental warehouse-picks', () => {
    expect(
      result('delivery-performance', 'quanta.production-reads-no-experimental'),
    ).toEqual({
      policyId: 'quanta.production-reads-no-experimental',
      status: 'fail',
      message:
        'In production, but reads dataproduct:default/warehouse-picks, which is experimental',
    });
  });

  it('flags feature-adoption for its missing product owner and contract', () => {
    expect(result('feature-adoption', 'quanta.product-owner-declared')).toEqual(
      {
        policyId: 'quanta.product-owner-declared',
        status: 'fail',
        message: 'No product owner: spec.productOwner is not set',
      },
    );
    expect(result('feature-adoption', 'quanta.output-port-contract')).toEqual({
      policyId: 'quanta.output-port-contract',
      status: 'fail',
      message: 'Output port feature-adoption-view has no contract',
    });
  });

  it('flags legacy-order-extract for still having consumers, and tax-report for reading it', () => {
    expect(
      result('legacy-order-extract', 'quanta.deprecated-without-consumers'),
    ).toEqual({
      policyId: 'quanta.deprecated-without-consumers',
      status: 'fail',
      message: 'Deprecated, but still read by dataproduct:default/tax-report',
    });
    expect(
      result('legacy-order-extract', 'quanta.output-port-contract'),
    ).toEqual({
      policyId: 'quanta.output-port-contract',
      status: 'fail',
      message: 'Output port nightly-csv has no contract',
    });
    expect(result('tax-report', 'quanta.no-deprecated-dependency')).toEqual({
      policyId: 'quanta.no-deprecated-dependency',
      status: 'fail',
      message:
        'Reads dataproduct:default/legacy-order-extract, which is deprecated',
    });
  });

  it('skips the contract policies: without the backend there are no contract facts', () => {
    const contractPolicies = builtInPolicies
      .map(p => p.id)
      .filter(
        id =>
          id.startsWith('quanta.contract-') &&
          id !== 'quanta.contract-version-semver',
      );
    expect(contractPolicies).toHaveLength(6);
    const outcomes = new Set(
      [...scorecards.values()].flatMap(card =>
        card.results
          .filter(r => contractPolicies.includes(r.policyId))
          .map(r => `${r.status}: ${r.message}`),
      ),
    );
    expect([...outcomes]).toEqual([
      'not-applicable: This portal does not read contracts, so none were checked',
    ]);
  });

  it('passes orders on every error-severity policy', () => {
    const card = scorecards.get('dataproduct:default/orders')!;
    const errorResults = card.results.filter(
      r => severity.get(r.policyId) === 'error',
    );
    expect(errorResults.length).toBeGreaterThan(0);
    expect(
      errorResults.filter(
        r => r.status !== 'pass' && r.status !== 'not-applicable',
      ),
    ).toEqual([]);
  });

  it('fails error-severity policies only where the demo is deliberately imperfect', () => {
    expect(errorFailures().sort()).toEqual(
      [
        'broken-example-refunds quanta.output-port-contract',
        'feature-adoption quanta.output-port-contract',
        'legacy-order-extract quanta.output-port-contract',
        'support-tickets quanta.pii-retention',
        'tax-report quanta.no-deprecated-dependency',
        'warehouse-picks quanta.slos-declared',
      ].sort(),
    );
  });
});
