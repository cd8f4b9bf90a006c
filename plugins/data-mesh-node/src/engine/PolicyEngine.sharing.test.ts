/*
 * The engine shares result objects and reuses its tallies between products;
 * these tests pin down that this never changes what a scorecard says.
 */
import type { DataProductEntity } from '@quanta/plugin-data-mesh-common';
import { builtInPolicies } from '../policies';
import { createMeshIndex } from './meshIndex';
import { PolicyEngine, registerPolicies } from './PolicyEngine';
import type { DataMeshPolicy, PolicyContext } from './types';

function product(
  name: string,
  spec: Partial<DataProductEntity['spec']> = {},
): DataProductEntity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'group:default/sales-data',
      domain: 'domain:default/sales',
      outputPorts: [],
      ...spec,
    },
  };
}

const policy = (
  id: string,
  check: DataMeshPolicy['check'],
  attribute: DataMeshPolicy['attribute'] = 'discoverable',
): DataMeshPolicy => ({
  id,
  title: id,
  attribute,
  severity: 'info',
  rationale: 'r',
  howToFix: 'h',
  check,
});

const context = (mesh = createMeshIndex([])): PolicyContext => ({
  mesh,
  now: new Date('2026-06-15T12:00:00Z'),
  facts: {},
});

describe('PolicyEngine result sharing', () => {
  it('keeps each product its own message, however many products there are', () => {
    const named = policy('test.named', p => ({
      status: 'fail',
      message: `Product ${p.metadata.name} fails`,
    }));
    const same = policy('test.same', () => ({
      status: 'fail',
      message: 'Everyone fails',
    }));
    const engine = new PolicyEngine({
      policies: registerPolicies([named, same], 'built-in'),
    });
    const cards = Array.from({ length: 3000 }, (_, i) =>
      engine.evaluate(product(`p-${i}`), context()),
    );
    cards.forEach((card, i) =>
      expect(card.results).toEqual([
        {
          policyId: 'test.named',
          status: 'fail',
          message: `Product p-${i} fails`,
        },
        { policyId: 'test.same', status: 'fail', message: 'Everyone fails' },
      ]),
    );
    // Equal outcomes share one frozen result.
    expect(cards[0].results[1]).toBe(cards[2999].results[1]);
    expect(Object.isFrozen(cards[0].results[1])).toBe(true);
  });

  it('tells apart outcomes that a policy returns as one reused object', () => {
    // A policy that reuses one mutable object is odd, but must not be
    // mistaken for the same outcome twice.
    const reused: { status: 'pass' | 'fail'; message?: string } = {
      status: 'pass',
    };
    const odd = policy('test.odd', p => {
      if (p.metadata.name === 'bad') {
        reused.status = 'fail';
        reused.message = 'Bad';
      } else {
        reused.status = 'pass';
        delete reused.message;
      }
      return reused as any;
    });
    const engine = new PolicyEngine({
      policies: registerPolicies([odd], 'built-in'),
    });
    expect(engine.evaluate(product('good'), context()).results[0]).toEqual({
      policyId: 'test.odd',
      status: 'pass',
    });
    expect(engine.evaluate(product('bad'), context()).results[0]).toEqual({
      policyId: 'test.odd',
      status: 'fail',
      message: 'Bad',
    });
  });

  it('scores a product right when a policy evaluates another one meanwhile', () => {
    const holder: { engine?: PolicyEngine } = {};
    const nested = policy(
      'test.nested',
      () => {
        holder.engine!.evaluate(
          product('other', { spec: undefined } as any),
          context(),
        );
        return { status: 'pass' };
      },
      'secure',
    );
    const failing = policy('test.failing', () => ({
      status: 'fail',
      message: 'No',
    }));
    const inner = new PolicyEngine({
      policies: registerPolicies([failing, nested], 'built-in'),
    });
    holder.engine = inner;
    const card = inner.evaluate(product('outer'), context());
    expect(card.score).toBe(50);
    expect(card.attributes).toEqual({ discoverable: 0, secure: 100 });
  });

  it('holds a level back by the lowest level that needs a failing policy', () => {
    const passing = policy('test.pass', () => ({ status: 'pass' }));
    const failing = policy('test.fail', () => ({
      status: 'fail',
      message: 'No',
    }));
    const engine = new PolicyEngine({
      policies: registerPolicies([passing, failing], 'built-in'),
      levels: [
        { name: 'Bronze', policies: ['test.pass'] },
        { name: 'Silver', policies: ['test.fail', 'test.pass'] },
        { name: 'Gold', policies: ['test.fail'] },
      ],
    });
    expect(engine.evaluate(product('p'), context()).level).toBe('Bronze');
  });

  it('looks a product up in the mesh it is evaluated against', () => {
    const reader = product('reader', {
      inputPorts: [
        { name: 'in', dataProduct: 'dataproduct:default/up', outputPort: 'x' },
      ],
    });
    const engine = new PolicyEngine({
      policies: registerPolicies(
        builtInPolicies.filter(p =>
          ['quanta.upstream-exists', 'quanta.owner-exists'].includes(p.id),
        ),
        'built-in',
      ),
    });
    const team = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'sales-data', namespace: 'default' },
      spec: { type: 'team', children: [] },
    };
    const statuses = (mesh: PolicyContext['mesh']) =>
      engine.evaluate(reader, context(mesh)).results.map(r => r.status);
    const whole = createMeshIndex([reader, product('up'), team]);
    const bare = createMeshIndex([reader]);
    for (let i = 0; i < 3; i++) {
      expect(statuses(whole)).toEqual(['pass', 'pass']);
      expect(statuses(bare)).toEqual(['fail', 'fail']);
    }
  });

  it('finds an address served twice whether or not the product is in the mesh', () => {
    const unique = builtInPolicies.find(
      p => p.id === 'quanta.output-port-address-unique',
    )!;
    const engine = new PolicyEngine({
      policies: registerPolicies([unique], 'built-in'),
    });
    const serving = (name: string, address: string) =>
      product(name, {
        outputPorts: [{ name: 'table', type: 'table', format: 'csv', address }],
      });
    const orders = serving('orders', 's3://lake/orders/');
    const copy = serving('copy', ' s3://lake/orders/ ');
    const other = serving('other', 's3://lake/other/');
    const statusOf = (p: DataProductEntity, mesh = createMeshIndex([])) =>
      engine.evaluate(p, context(mesh)).results[0];

    const apart = createMeshIndex([orders, other]);
    expect(statusOf(orders, apart).status).toBe('pass');
    expect(statusOf(other, apart).status).toBe('pass');

    // Spaces around an address do not make it another address.
    const together = createMeshIndex([orders, copy, other]);
    expect(statusOf(orders, together)).toEqual({
      policyId: 'quanta.output-port-address-unique',
      status: 'fail',
      message:
        'Output port table address s3://lake/orders/ is also served by dataproduct:default/copy',
    });
    expect(statusOf(copy, together).message).toContain(
      'also served by dataproduct:default/orders',
    );
    expect(statusOf(other, together).status).toBe('pass');

    // A product checked before it is in the catalog, as templates do.
    expect(statusOf(copy, apart).message).toContain(
      'also served by dataproduct:default/orders',
    );
  });
});
