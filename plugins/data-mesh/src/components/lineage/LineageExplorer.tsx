import { RefObject, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import type { HoverTarget } from '../../lib/lineage';
import { LineageDetails } from './LineageDetails';
import { LineageGraphView, LineageGraphViewProps } from './LineageGraphView';
import { ZoomControls } from './ZoomControls';

/** What an explorer's page keeps: the zoom and the node or edge last hovered. */
export type LineageExplorerState = {
  /** Times the natural size; undefined fits the graph to its box. */
  scale: number | undefined;
  setScale: (scale: number | undefined) => void;
  target: HoverTarget | undefined;
  /** Holds the graph, for the zoom controls to start from the fitted size. */
  graphBox: RefObject<HTMLDivElement>;
  /** Back to a fitted graph and an empty details panel, for a new graph. */
  reset: () => void;
  onHover: (next: HoverTarget | undefined) => void;
};

/** The state of a {@link LineageExplorer}, kept where its zoom controls are. */
export function useLineageExplorer(): LineageExplorerState {
  const [scale, setScale] = useState<number>();
  const [target, setTarget] = useState<HoverTarget>();
  const graphBox = useRef<HTMLDivElement>(null);
  return {
    scale,
    setScale,
    target,
    graphBox,
    reset: () => {
      setScale(undefined);
      setTarget(undefined);
    },
    // The panel keeps the last node or edge, to be read at leisure.
    onHover: next => next && setTarget(next),
  };
}

/** Props of {@link LineageExplorer}. */
export type LineageExplorerProps = Omit<
  LineageGraphViewProps,
  'scale' | 'onHover' | 'compact'
> & {
  state: LineageExplorerState;
};

/**
 * A lineage graph that scrolls in its box, with the details of what was
 * hovered beside it (below it on narrow screens).
 */
export function LineageExplorer(props: LineageExplorerProps) {
  const { state, ...view } = props;
  return (
    <Box mt={2} display="flex" flexWrap="wrap" style={{ gap: 16 }}>
      <div
        ref={state.graphBox}
        // As tall as the graph (the page scrolls down), scrolling sideways
        // when wider than the box: the graph is never shrunk to fit.
        style={{ flex: '1 1 480px', overflowX: 'auto' }}
      >
        <LineageGraphView
          {...view}
          scale={state.scale}
          onHover={state.onHover}
        />
      </div>
      <div style={{ flex: '0 1 300px', minWidth: 240 }}>
        <LineageDetails
          target={state.target}
          nodes={view.nodes}
          edges={view.edges}
        />
      </div>
    </Box>
  );
}

/** The zoom buttons of a {@link LineageExplorer}, for its page's toolbar. */
export function LineageExplorerZoom(props: { state: LineageExplorerState }) {
  const { state } = props;
  return (
    <ZoomControls
      scale={state.scale}
      onChange={state.setScale}
      graph={state.graphBox}
    />
  );
}
