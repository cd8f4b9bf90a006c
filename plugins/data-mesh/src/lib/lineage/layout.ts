/**
 * Layered layout of a lineage graph, upstream on the left: longest-path
 * layers, then barycentre ordering within each layer. Both are linear or
 * close to it in nodes plus edges, so even 1,000 nodes lay out well within
 * a frame budget on the main thread; no worker is needed.
 */

export type LayoutInput = {
  nodes: Array<{ id: string }>;
  edges: Array<{ from: string; to: string }>;
};

export type LayoutOptions = {
  nodeWidth?: number;
  nodeHeight?: number;
  /** Horizontal gap between layers. */
  layerGap?: number;
  /** Vertical gap between nodes of a layer. */
  nodeGap?: number;
  /** Down-and-up sweeps of barycentre ordering. */
  sweeps?: number;
};

export type PositionedNode = {
  id: string;
  layer: number;
  /** Position within the layer, from the top. */
  order: number;
  /** Top-left corner. */
  x: number;
  y: number;
};

export type Layout = {
  nodes: Map<string, PositionedNode>;
  width: number;
  height: number;
  layers: string[][];
  nodeWidth: number;
  nodeHeight: number;
};

const DEFAULTS: Required<LayoutOptions> = {
  nodeWidth: 180,
  nodeHeight: 36,
  layerGap: 80,
  nodeGap: 16,
  sweeps: 4,
};

/**
 * The edges to lay out by: every edge between known nodes, less the ones
 * that close a cycle (found by depth-first search), so layering terminates.
 */
function acyclicEdges(
  ids: string[],
  edges: LayoutInput['edges'],
): Array<[number, number]> {
  const index = new Map(ids.map((id, i) => [id, i]));
  const out: number[][] = ids.map(() => []);
  for (const edge of edges) {
    const from = index.get(edge.from);
    const to = index.get(edge.to);
    if (from === undefined || to === undefined || from === to) continue;
    out[from].push(to);
  }
  // 0 unvisited, 1 on the stack, 2 done; iterative to survive long chains.
  const state = new Uint8Array(ids.length);
  const kept: Array<[number, number]> = [];
  for (let start = 0; start < ids.length; start++) {
    if (state[start]) continue;
    const stack: Array<[number, number]> = [[start, 0]];
    state[start] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [node, next] = top;
      if (next >= out[node].length) {
        state[node] = 2;
        stack.pop();
        continue;
      }
      top[1] = next + 1;
      const to = out[node][next];
      if (state[to] === 1) continue; // a back edge: drop it
      kept.push([node, to]);
      if (state[to] === 0) {
        state[to] = 1;
        stack.push([to, 0]);
      }
    }
  }
  return kept;
}

/** Lays out a lineage graph; deterministic for the same input. */
export function layoutLineage(
  input: LayoutInput,
  options: LayoutOptions = {},
): Layout {
  const o = { ...DEFAULTS, ...options };
  const ids = input.nodes.map(n => n.id);
  const n = ids.length;
  const edges = acyclicEdges(ids, input.edges);

  // Longest path from a source: Kahn's order over the acyclic edges.
  const preds: number[][] = ids.map(() => []);
  const succs: number[][] = ids.map(() => []);
  const indegree = new Int32Array(n);
  for (const [from, to] of edges) {
    succs[from].push(to);
    preds[to].push(from);
    indegree[to]++;
  }
  const layer = new Int32Array(n);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue.push(i);
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    for (const to of succs[node]) {
      if (layer[node] + 1 > layer[to]) layer[to] = layer[node] + 1;
      if (--indegree[to] === 0) queue.push(to);
    }
  }
  // Sources sit right before their first reader rather than all in layer 0.
  for (let k = queue.length - 1; k >= 0; k--) {
    const node = queue[k];
    if (preds[node].length || !succs[node].length) continue;
    let nearest = Infinity;
    for (const to of succs[node]) nearest = Math.min(nearest, layer[to]);
    layer[node] = nearest - 1;
  }

  let layerCount = 0;
  for (let i = 0; i < n; i++) layerCount = Math.max(layerCount, layer[i] + 1);
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  for (let i = 0; i < n; i++) layers[layer[i]].push(i);

  // Barycentre ordering: each node moves to the mean position of its
  // neighbours in the layer before (down sweeps) or after (up sweeps).
  const position = new Float64Array(n);
  const place = () => {
    for (const nodes of layers)
      nodes.forEach((node, i) => (position[node] = i));
  };
  place();
  const reorder = (nodes: number[], neighbours: number[][]) => {
    const key = new Float64Array(nodes.length);
    nodes.forEach((node, i) => {
      const around = neighbours[node];
      if (!around.length) {
        key[i] = position[node];
        return;
      }
      let sum = 0;
      for (const other of around) sum += position[other];
      key[i] = sum / around.length;
    });
    const order = nodes.map((_node, i) => i);
    order.sort((a, b) => key[a] - key[b] || a - b);
    const sorted = order.map(i => nodes[i]);
    sorted.forEach((node, i) => {
      nodes[i] = node;
      position[node] = i;
    });
  };
  for (let sweep = 0; sweep < o.sweeps; sweep++) {
    if (sweep % 2 === 0) {
      for (let l = 1; l < layers.length; l++) reorder(layers[l], preds);
    } else {
      for (let l = layers.length - 2; l >= 0; l--) reorder(layers[l], succs);
    }
  }

  const tallest = layers.reduce((max, nodes) => Math.max(max, nodes.length), 0);
  const height = Math.max(
    o.nodeHeight,
    tallest * o.nodeHeight + Math.max(0, tallest - 1) * o.nodeGap,
  );
  const width = Math.max(
    o.nodeWidth,
    layerCount * o.nodeWidth + Math.max(0, layerCount - 1) * o.layerGap,
  );
  const positioned = new Map<string, PositionedNode>();
  layers.forEach((nodes, l) => {
    const span =
      nodes.length * o.nodeHeight + Math.max(0, nodes.length - 1) * o.nodeGap;
    const top = (height - span) / 2;
    nodes.forEach((node, i) => {
      positioned.set(ids[node], {
        id: ids[node],
        layer: l,
        order: i,
        x: l * (o.nodeWidth + o.layerGap),
        y: top + i * (o.nodeHeight + o.nodeGap),
      });
    });
  });
  return {
    nodes: positioned,
    width,
    height,
    layers: layers.map(nodes => nodes.map(node => ids[node])),
    nodeWidth: o.nodeWidth,
    nodeHeight: o.nodeHeight,
  };
}

/** Pairs of edges that cross between adjacent layers, to judge an ordering. */
export function countCrossings(
  layout: Layout,
  edges: LayoutInput['edges'],
): number {
  const spans = edges
    .map(e => [layout.nodes.get(e.from), layout.nodes.get(e.to)] as const)
    .filter(([a, b]) => a && b && b.layer === a.layer + 1)
    .map(([a, b]) => ({ layer: a!.layer, from: a!.order, to: b!.order }));
  let crossings = 0;
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      const a = spans[i];
      const b = spans[j];
      if (a.layer !== b.layer) continue;
      if ((a.from - b.from) * (a.to - b.to) < 0) crossings++;
    }
  }
  return crossings;
}
