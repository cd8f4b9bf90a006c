import type { EdgeState } from './graph';

/** The stroke of each edge state, in the graph and its legend. */
export const EDGE_COLORS: Record<EdgeState, string> = {
  undeclared: '#fb8c00',
  stale: '#e53935',
  'declared-observed': '#43a047',
  declared: '#9e9e9e',
  pipeline: '#1e88e5',
  granted: '#8e24aa',
};

/**
 * The dash of each edge state: what no input port declares is dashed,
 * observed in runs (long dashes) or only declared by a pipeline (dots), so
 * the difference does not rest on colour alone.
 */
export const EDGE_DASHES: Record<EdgeState, string | undefined> = {
  undeclared: '6 4',
  pipeline: '2 3',
  granted: '8 3 2 3',
  stale: undefined,
  'declared-observed': undefined,
  declared: undefined,
};
