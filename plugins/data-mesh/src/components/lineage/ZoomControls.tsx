import { RefObject } from 'react';
import Button from '@material-ui/core/Button';

/** The scale a fitted graph is drawn at: below 1 when shrunk to its container. */
function fittedScale(container: HTMLElement | null | undefined): number {
  const svg = container?.querySelector('svg[aria-label="Lineage graph"]');
  const natural = Number(svg?.getAttribute('width'));
  const drawn = svg?.getBoundingClientRect().width;
  return natural && drawn ? Math.min(1, drawn / natural) : 1;
}

/**
 * Zoom buttons for a {@link LineageGraphView}'s `scale`: undefined fits the
 * graph to its container (never enlarging it), a number is times its
 * natural size.
 */
export function ZoomControls(props: {
  scale: number | undefined;
  onChange: (scale: number | undefined) => void;
  /** Holds the graph, so zooming starts from the size the fit drew it at. */
  graph?: RefObject<HTMLElement>;
}) {
  const { scale, onChange, graph } = props;
  const current = () => scale ?? fittedScale(graph?.current);
  return (
    <>
      <Button onClick={() => onChange(current() * 0.8)}>Zoom out</Button>
      <Button onClick={() => onChange(current() * 1.25)}>Zoom in</Button>
      <Button
        onClick={() => onChange(undefined)}
        disabled={scale === undefined}
      >
        Fit
      </Button>
    </>
  );
}
