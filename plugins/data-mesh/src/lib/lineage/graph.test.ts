import type { MeshLineageResponse } from '@quanta/plugin-data-mesh-common';
import {
  edgeState,
  indexEdges,
  meshGraph,
  nodeLabel,
  pathsThrough,
} from './graph';

const edge = (from: string, to: string, undeclared = 0) => ({
  from,
  to,
  count: 1,
  declared: undeclared ? 0 : 1,
  undeclared,
  stale: 0,
});

const products: MeshLineageResponse = {
  groupBy: 'product',
  indexedAt: '2026-11-20T10:00:00.000Z',
  nodes: [
    { id: 'dataproduct:default/a', domain: 'domain:default/x', products: 1 },
    { id: 'dataproduct:default/b', domain: 'domain:default/x', products: 1 },
    { id: 'dataproduct:default/c', domain: 'domain:default/y', products: 1 },
    { id: 'dataproduct:default/d', products: 1 },
    { id: 'dataproduct:default/e', domain: 'domain:default/y', products: 1 },
  ],
  edges: [
    edge('dataproduct:default/a', 'dataproduct:default/b'),
    edge('dataproduct:default/b', 'dataproduct:default/c', 1),
    edge('dataproduct:default/c', 'dataproduct:default/e'),
    edge('dataproduct:default/d', 'dataproduct:default/a'),
    // A reader missing from the catalog has no node.
    edge('dataproduct:default/e', 'dataproduct:default/gone'),
  ],
};

describe('meshGraph', () => {
  it('draws products, leaving out edges to products it does not know', () => {
    const graph = meshGraph(products);
    expect(graph.nodes).toHaveLength(5);
    expect(graph.edges.map(e => `${e.from}>${e.to}`)).not.toContain(
      'dataproduct:default/e>dataproduct:default/gone',
    );
    const undeclared = graph.edges.find(
      e => e.from === 'dataproduct:default/b',
    )!;
    expect(undeclared).toMatchObject({
      declared: false,
      undeclared: true,
      counts: { total: 1, undeclared: 1 },
    });
  });

  it("keeps a domain's products and the products they read or feed", () => {
    const x = meshGraph(products, 'domain:default/x');
    expect(x.nodes.map(n => n.entityRef)).toEqual([
      'dataproduct:default/a',
      'dataproduct:default/b',
      'dataproduct:default/c',
      'dataproduct:default/d',
    ]);
    // c>e lies outside x: both ends are in other domains.
    expect(x.edges).toHaveLength(3);
    const none = meshGraph(products, 'none');
    expect(none.nodes.map(n => n.entityRef)).toEqual([
      'dataproduct:default/a',
      'dataproduct:default/d',
    ]);
  });

  it('turns domains into nodes with their product count', () => {
    const graph = meshGraph({
      groupBy: 'domain',
      indexedAt: '2026-11-20T10:00:00.000Z',
      nodes: [
        { id: 'domain:default/x', domain: 'domain:default/x', products: 2 },
        { id: 'none', products: 1 },
      ],
      edges: [{ ...edge('none', 'domain:default/x'), count: 3, declared: 3 }],
    });
    expect(graph.nodes).toEqual([
      {
        entityRef: 'domain:default/x',
        nodeType: 'domain',
        domain: 'domain:default/x',
        products: 2,
      },
      { entityRef: 'none', nodeType: 'domain', products: 1 },
    ]);
    expect(graph.nodes.map(nodeLabel)).toEqual(['x', 'No domain']);
    expect(graph.edges[0].counts).toEqual({
      total: 3,
      declared: 3,
      undeclared: 0,
      stale: 0,
      pipelineOnly: 0,
      grantedOnly: 0,
    });
  });

  it('tells dependencies only a pipeline declares from declared and observed ones', () => {
    const graph = meshGraph({
      ...products,
      edges: [
        edge('dataproduct:default/a', 'dataproduct:default/b'),
        {
          ...edge('dataproduct:default/b', 'dataproduct:default/c'),
          declared: 0,
          pipelineOnly: 1,
        },
      ],
    });
    expect(graph.edges.map(e => [e.from, edgeState(e)])).toEqual([
      ['dataproduct:default/a', 'declared'],
      ['dataproduct:default/b', 'pipeline'],
    ]);
    // A backend from before JobEvents sends no count: none.
    expect(graph.edges[0].counts!.pipelineOnly).toBe(0);
  });

  it('tells dependencies only an access grant makes', () => {
    const graph = meshGraph({
      ...products,
      edges: [
        {
          ...edge('dataproduct:default/a', 'dataproduct:default/b'),
          declared: 0,
          grantedOnly: 1,
        },
      ],
    });
    expect(graph.edges.map(edgeState)).toEqual(['granted']);
    expect(graph.edges[0].counts!.grantedOnly).toBe(1);
  });
});

describe('pathsThrough', () => {
  it('follows edges upstream and downstream, and survives cycles', () => {
    const { edges } = meshGraph({
      ...products,
      edges: [
        ...products.edges,
        edge('dataproduct:default/e', 'dataproduct:default/c'),
      ],
    });
    const paths = pathsThrough('dataproduct:default/b', indexEdges(edges));
    expect([...paths.nodes].sort()).toEqual([
      'dataproduct:default/a',
      'dataproduct:default/b',
      'dataproduct:default/c',
      'dataproduct:default/d',
      'dataproduct:default/e',
    ]);
    expect(paths.edges.size).toBe(5);
    const fromE = pathsThrough('dataproduct:default/e', indexEdges(edges));
    expect(fromE.nodes.has('dataproduct:default/d')).toBe(true);
  });
});
