import { RefObject } from 'react';
import Button from '@material-ui/core/Button';

/**
 * Zoom buttons for a {@link LineageGraphView}'s `scale`: a number is times
 * its natural size; undefined is natural size. Zooming out stops there, so
 * that no label is drawn under 11 px; a graph wider than its container
 * scrolls.
 */
export function ZoomControls(props: {
  scale: number | undefined;
  onChange: (scale: number | undefined) => void;
  /** Holds the graph, so zooming starts from the size the fit drew it at. */
  graph?: RefObject<HTMLElement>;
}) {
  const { scale, onChange } = props;
  const current = scale ?? 1;
  return (
    <>
      <Button
        onClick={() => {
          const next = current * 0.8;
          onChange(next <= 1 ? undefined : next);
        }}
        disabled={current <= 1}
      >
        Zoom out
      </Button>
      <Button onClick={() => onChange(current * 1.25)}>Zoom in</Button>
      <Button
        onClick={() => onChange(undefined)}
        disabled={scale === undefined}
      >
        Actual size
      </Button>
    </>
  );
}
