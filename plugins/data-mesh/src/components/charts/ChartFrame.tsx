import { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { Legend } from './Legend';
import { ChartDataTable, type ChartTable } from './DataTable';

const WIDTH = 600;
const LEFT = 40;
const RIGHT = 12;
const TOP = 10;
const BOTTOM = 22;

/** Where a chart of a given height may draw, in viewBox units. */
export type PlotArea = {
  left: number;
  top: number;
  width: number;
  height: number;
  /** The y of the x axis: value 0. */
  bottom: number;
};

/** The plot area inside the frame's margins (room for tick and day labels). */
export function plotArea(height: number): PlotArea {
  const plotHeight = height - TOP - BOTTOM;
  return {
    left: LEFT,
    top: TOP,
    width: WIDTH - LEFT - RIGHT,
    height: plotHeight,
    bottom: TOP + plotHeight,
  };
}

/** Props of {@link ChartFrame}. */
export type ChartFrameProps = {
  /** Read by screen readers instead of the drawing: say what it shows. */
  label: string;
  height: number;
  /** Values on the y axis that get a gridline and a label. */
  ticks: number[];
  /** Where a value sits on the y axis. */
  y: (value: number) => number;
  format?: (value: number) => string;
  /** The days on the x axis, in order; the first and last are labelled. */
  days: string[];
  legend: Array<{ name: string; color: string }>;
  /** Every figure drawn, for screen readers and on request as a table. */
  table: ChartTable;
  /** The data, drawn over the gridlines and labels. */
  children: ReactNode;
};

/**
 * The frame shared by the day charts: a scalable SVG with gridlines and
 * labels on the y axis, the first and last day under the plot, and a legend.
 */
export function ChartFrame(props: ChartFrameProps) {
  const { label, height, ticks, y, format = String, days, legend } = props;
  const theme = useTheme();
  const axisText = { fontSize: 11, fill: theme.palette.text.secondary };

  // One day is a dot in an empty frame: say what it holds instead.
  if (days.length < 2) {
    return (
      <Typography variant="body2" color="textSecondary" role="note">
        {days.length === 0
          ? 'No history yet.'
          : `One day of history so far (${days[0]}); the chart starts with the second day.`}{' '}
        {label}
      </Typography>
    );
  }

  return (
    <div>
      <svg
        role="img"
        aria-label={label}
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        style={{ maxHeight: height }}
      >
        <title>{label}</title>
        {ticks.map(tick => (
          <g key={tick}>
            <line
              x1={LEFT}
              x2={WIDTH - RIGHT}
              y1={y(tick)}
              y2={y(tick)}
              stroke={theme.palette.divider}
            />
            <text x={LEFT - 6} y={y(tick) + 4} textAnchor="end" {...axisText}>
              {format(tick)}
            </text>
          </g>
        ))}
        {days.length > 0 && (
          <>
            <text x={LEFT} y={height - 6} {...axisText}>
              {days[0]}
            </text>
            {days.length > 1 && (
              <text
                x={WIDTH - RIGHT}
                y={height - 6}
                textAnchor="end"
                {...axisText}
              >
                {days[days.length - 1]}
              </text>
            )}
          </>
        )}
        {props.children}
      </svg>
      <Legend label={`Legend: ${label}`} items={legend} />
      <ChartDataTable caption={`Figures: ${label}`} table={props.table} />
    </div>
  );
}
