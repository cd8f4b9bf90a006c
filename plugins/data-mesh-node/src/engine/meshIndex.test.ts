import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import type { Entity } from '@backstage/catalog-model';
import { builtInPolicies } from '../policies';
import { consumersOf, preparedProduct } from './facts';
import { createMeshIndex } from './meshIndex';
import { PolicyEngine, registerPolicies } from './PolicyEngine';

function findRepoRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'examples', 'all.yaml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No examples/ above ${start}`);
    dir = parent;
  }
  return dir;
}

const examples = path.join(findRepoRoot(__dirname), 'examples');
const readEntities = (file: string): Entity[] =>
  parseAllDocuments(fs.readFileSync(file, 'utf8')).map(
    doc => doc.toJS() as Entity,
  );
const [location] = readEntities(path.join(examples, 'all.yaml'));
const entities = (location.spec?.targets as string[]).flatMap(target =>
  readEntities(path.resolve(examples, target)),
);

const engine = new PolicyEngine({
  policies: registerPolicies(builtInPolicies, 'built-in'),
});
const now = new Date('2026-06-15T12:00:00Z');

describe('createMeshIndex', () => {
  const mesh = createMeshIndex(entities);
  const products = mesh.dataProducts();
  const inOrder = products.map(p =>
    engine.evaluate(p, { mesh, now, facts: {} }),
  );

  it('judges a product the same whatever order products come in', () => {
    const reversed = [...products]
      .reverse()
      .map(p => engine.evaluate(p, { mesh, now, facts: {} }))
      .reverse();
    expect(reversed).toEqual(inOrder);
  });

  it('judges a product it does not hold the same as its own copy', () => {
    // As when a product is checked before it is registered in the catalog.
    const copies = products.map(p =>
      engine.evaluate(structuredClone(p), { mesh, now, facts: {} }),
    );
    expect(copies).toEqual(inOrder);
  });

  it('answers lookups by full or short, upper- or lower-case reference', () => {
    expect(mesh.get('group:default/sales-data')?.ref).toBe(
      'group:default/sales-data',
    );
    expect(mesh.get('Group:default/Sales-Data')?.ref).toBe(
      'group:default/sales-data',
    );
    expect(mesh.get('group:sales-data')?.ref).toBe('group:default/sales-data');
    expect(mesh.get('sales-data')).toBeUndefined();
    expect(mesh.get('group:default/nobody')).toBeUndefined();
  });

  it('knows who reads a product and who serves an address', () => {
    expect(
      mesh.consumersOf('DataProduct:default/legacy-order-extract'),
    ).toEqual(['dataproduct:default/tax-report']);
    expect(mesh.consumersOf('dataproduct:default/nothing')).toEqual([]);
    const orders = products.find(p => p.metadata.name === 'orders')!;
    const address = orders.spec.outputPorts[0].address;
    expect(mesh.productsServing(address)).toEqual([
      'dataproduct:default/orders',
    ]);
  });

  it('lists the readers of a product once each, in catalog order', () => {
    const reading = (name: string, ...upstreams: string[]): Entity => ({
      apiVersion: 'quanta.dev/v1alpha1',
      kind: 'DataProduct',
      metadata: { name },
      spec: {
        lifecycle: 'deprecated',
        inputPorts: upstreams.map((upstream, i) => ({
          name: `in-${i}`,
          dataProduct: `dataproduct:default/${upstream}`,
        })),
      },
    });
    const listed = [
      reading('up'),
      reading('b', 'up', 'other', 'up'),
      reading('a', 'up'),
      reading('c', 'other', 'up'),
      // Listed twice, as a catalog may while an entity moves.
      reading('a', 'up', 'up'),
      reading('other', 'up'),
    ];
    const readers = builtInPolicies.filter(
      p => p.id === 'quanta.deprecated-without-consumers',
    );
    const judge = new PolicyEngine({
      policies: registerPolicies(readers, 'built-in'),
    });
    const index = createMeshIndex(listed);
    const messageOf = (product: Entity) =>
      judge.evaluate(product as any, { mesh: index, now, facts: {} }).results[0]
        .message;
    const expected =
      'Deprecated, but still read by dataproduct:default/b, dataproduct:default/a, dataproduct:default/c and dataproduct:default/other';
    expect(messageOf(listed[0])).toBe(expected);
    expect(
      consumersOf(preparedProduct(listed[0] as any, index), index),
    ).toStrictEqual([
      'dataproduct:default/b',
      'dataproduct:default/a',
      'dataproduct:default/c',
      'dataproduct:default/other',
    ]);
    // A copy is looked up the way products outside the index are.
    expect(messageOf(structuredClone(listed[0]))).toBe(expected);
    expect(messageOf(listed[5])).toBe(
      'Deprecated, but still read by dataproduct:default/b and dataproduct:default/c',
    );
    expect(index.consumersOf('dataproduct:default/a')).toEqual([]);
  });
});
