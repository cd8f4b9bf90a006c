import { useTheme } from '@material-ui/core/styles';
import { ChartDataTable } from './DataTable';

/** Props of {@link Sparkline}. */
export type SparklineProps = {
  points: Array<{ day: string; value: number }>;
  /** What the line shows, read by screen readers with the summary. */
  label: string;
  max?: number;
  width?: number;
  height?: number;
  format?: (value: number) => string;
};

/** A small line of one value over days, without axes. */
export function Sparkline(props: SparklineProps) {
  const {
    points,
    label,
    max = 100,
    width = 240,
    height = 48,
    format = String,
  } = props;
  const theme = useTheme();
  const pad = 4;
  const x = (i: number) =>
    points.length < 2
      ? width / 2
      : pad + (i * (width - 2 * pad)) / (points.length - 1);
  const y = (value: number) =>
    height -
    pad -
    (Math.max(0, Math.min(max, value)) / max) * (height - 2 * pad);
  const first = points[0];
  const last = points[points.length - 1];
  const summary = first
    ? `${label}: ${format(first.value)} on ${first.day}, ${format(
        last.value,
      )} on ${last.day}`
    : `${label}: no data yet`;

  return (
    <span>
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
      >
        <title>{summary}</title>
        <line
          x1={pad}
          x2={width - pad}
          y1={y(max / 2)}
          y2={y(max / 2)}
          stroke={theme.palette.divider}
          strokeDasharray="2 3"
        />
        {points.length > 1 && (
          <polyline
            fill="none"
            stroke={theme.palette.primary.main}
            strokeWidth={2}
            points={points.map((p, i) => `${x(i)},${y(p.value)}`).join(' ')}
          />
        )}
        {points.map((p, i) => (
          <circle
            key={p.day}
            cx={x(i)}
            cy={y(p.value)}
            r={i === points.length - 1 ? 3 : 1.5}
            fill={theme.palette.primary.main}
          >
            <title>{`${p.day}: ${format(p.value)}`}</title>
          </circle>
        ))}
      </svg>
      <ChartDataTable
        hidden
        caption={`Figures: ${label}`}
        table={{
          columns: [label],
          rows: points.map(p => ({ day: p.day, values: [format(p.value)] })),
        }}
      />
    </span>
  );
}
