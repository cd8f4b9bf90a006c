import { countCrossings, layoutLineage } from './layout';

const graph = (edges: string[]) => {
  const ids = new Set<string>();
  const list = edges.map(edge => {
    const [from, to] = edge.split('>');
    ids.add(from);
    ids.add(to);
    return { from, to };
  });
  return { nodes: [...ids].map(id => ({ id })), edges: list };
};

describe('layoutLineage', () => {
  it('puts each node one layer after its furthest upstream', () => {
    const layout = layoutLineage(graph(['a>b', 'b>c', 'a>c', 'c>d']));
    expect(layout.layers).toEqual([['a'], ['b'], ['c'], ['d']]);
    expect(layout.nodes.get('c')).toMatchObject({ layer: 2, x: 2 * 260 });
  });

  it('places a source just before its only reader', () => {
    const layout = layoutLineage(graph(['a>b', 'b>c', 'src>c']));
    expect(layout.nodes.get('src')!.layer).toBe(1);
  });

  it('lays out diamonds and cycles without looping', () => {
    const diamond = layoutLineage(graph(['t>l', 't>r', 'l>b', 'r>b']));
    expect(diamond.layers).toEqual([['t'], ['l', 'r'], ['b']]);
    const cycle = layoutLineage(graph(['x>y', 'y>z', 'z>x', 'z>w']));
    expect(cycle.nodes.size).toBe(4);
    expect(new Set(cycle.layers.flat())).toEqual(new Set(['x', 'y', 'z', 'w']));
    const self = layoutLineage({
      nodes: [{ id: 'a' }],
      edges: [{ from: 'a', to: 'a' }],
    });
    expect(self.layers).toEqual([['a']]);
  });

  it('orders layers by barycentre, removing avoidable crossings', () => {
    // Given in an order that crosses: a1 feeds b2, a2 feeds b1.
    const input = {
      nodes: ['a1', 'a2', 'b1', 'b2'].map(id => ({ id })),
      edges: [
        { from: 'a1', to: 'b2' },
        { from: 'a2', to: 'b1' },
      ],
    };
    const layout = layoutLineage(input);
    expect(countCrossings(layout, input.edges)).toBe(0);
    expect(layout.layers[1]).toEqual(['b2', 'b1']);
  });

  it('centres layers and keeps nodes apart', () => {
    const layout = layoutLineage(graph(['a>b', 'a>c', 'a>d']), {
      nodeHeight: 10,
      nodeGap: 5,
    });
    expect(layout.height).toBe(40);
    expect(layout.nodes.get('a')!.y).toBe(15);
    expect(
      layout.layers[1].map(id => layout.nodes.get(id)!.y).sort((x, y) => x - y),
    ).toEqual([0, 15, 30]);
  });

  it('lays out 1,000 nodes well within the 2 s target', () => {
    const edges: string[] = [];
    for (let i = 1; i < 1000; i++) {
      edges.push(`n${Math.floor(i / 3)}>n${i}`);
      if (i > 10) edges.push(`n${i - 7}>n${i}`);
    }
    const input = graph(edges);
    const started = performance.now();
    const layout = layoutLineage(input);
    const elapsed = performance.now() - started;
    expect(layout.nodes.size).toBe(1000);
    expect(elapsed).toBeLessThan(2000);
  });
});
