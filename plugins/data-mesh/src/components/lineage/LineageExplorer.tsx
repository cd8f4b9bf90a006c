import { RefObject, useLayoutEffect, useRef, useState } from 'react';
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

/** Room the details panel takes beside the graph: its width and the gap. */
const PANEL_ROOM = 316;

/**
 * Whether the graph, at its drawn size, needs the width the details panel
 * would take. Both widths are independent of where the panel goes, so the
 * choice is stable.
 */
function usePanelBelow(
  outer: RefObject<HTMLDivElement>,
  graphBox: RefObject<HTMLDivElement>,
): boolean {
  const [below, setBelow] = useState(false);
  useLayoutEffect(() => {
    const measure = () => {
      const drawn =
        graphBox.current?.firstElementChild?.getBoundingClientRect().width ?? 0;
      const available = outer.current?.clientWidth ?? 0;
      setBelow(available > 0 && drawn > available - PANEL_ROOM);
    };
    measure();
    if (typeof ResizeObserver === 'undefined' || !outer.current) {
      return undefined;
    }
    const observer = new ResizeObserver(measure);
    observer.observe(outer.current);
    if (graphBox.current?.firstElementChild) {
      observer.observe(graphBox.current.firstElementChild);
    }
    return () => observer.disconnect();
  });
  return below;
}

/**
 * A lineage graph that scrolls in its box, with the details of what was
 * hovered beside it; below it when the graph needs the whole width, so that
 * a wide graph is not cut off for the panel's sake.
 */
export function LineageExplorer(props: LineageExplorerProps) {
  const { state, ...view } = props;
  const outer = useRef<HTMLDivElement>(null);
  const below = usePanelBelow(outer, state.graphBox);
  return (
    <div
      ref={outer}
      style={{
        marginTop: 16,
        display: 'flex',
        flexDirection: below ? 'column' : 'row',
        flexWrap: below ? 'nowrap' : 'wrap',
        gap: 16,
      }}
    >
      <div
        ref={state.graphBox}
        // As tall as the graph (the page scrolls down), scrolling sideways
        // when wider than the box: the graph is never shrunk to fit.
        style={{ flex: below ? '0 0 auto' : '1 1 480px', overflowX: 'auto' }}
      >
        <LineageGraphView
          {...view}
          scale={state.scale}
          onHover={state.onHover}
        />
      </div>
      <div
        data-testid="lineage-details-panel"
        style={below ? {} : { flex: '0 1 300px', minWidth: 240 }}
      >
        <LineageDetails
          target={state.target}
          nodes={view.nodes}
          edges={view.edges}
        />
      </div>
    </div>
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
