import { useTheme } from '@material-ui/core/styles';
import { Legend } from './Legend';

export type LineSeries = {
  name: string;
  color: string;
  points: Array<{ day: string; value: number }>;
};

/** Props of {@link LineChart}. */
export type LineChartProps = {
  series: LineSeries[];
  /** Read by screen readers instead of the drawing: say what it shows. */
  label: string;
  /** The top of the y axis; defaults to the largest value. */
  max?: number;
  format?: (value: number) => string;
  height?: number;
};

const WIDTH = 600;
const LEFT = 40;
const RIGHT = 12;
const TOP = 10;
const BOTTOM = 22;

/** Lines over days on a shared day axis, with a y axis and a legend. */
export function LineChart(props: LineChartProps) {
  const { series, label, format = String, height = 200 } = props;
  const theme = useTheme();
  const days = [
    ...new Set(series.flatMap(s => s.points.map(p => p.day))),
  ].sort();
  const largest = Math.max(
    1,
    ...series.flatMap(s => s.points.map(p => p.value)),
  );
  const max = props.max ?? largest;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = height - TOP - BOTTOM;
  const x = (day: string) => {
    const i = days.indexOf(day);
    return days.length < 2
      ? LEFT + plotWidth / 2
      : LEFT + (i * plotWidth) / (days.length - 1);
  };
  const y = (value: number) =>
    TOP + plotHeight - (Math.max(0, Math.min(max, value)) / max) * plotHeight;
  const ticks = [0, max / 2, max];

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
            <text
              x={LEFT - 6}
              y={y(tick) + 4}
              textAnchor="end"
              fontSize={11}
              fill={theme.palette.text.secondary}
            >
              {format(tick)}
            </text>
          </g>
        ))}
        {days.length > 0 && (
          <>
            <text
              x={LEFT}
              y={height - 6}
              fontSize={11}
              fill={theme.palette.text.secondary}
            >
              {days[0]}
            </text>
            {days.length > 1 && (
              <text
                x={WIDTH - RIGHT}
                y={height - 6}
                textAnchor="end"
                fontSize={11}
                fill={theme.palette.text.secondary}
              >
                {days[days.length - 1]}
              </text>
            )}
          </>
        )}
        {series.map(s => (
          <g key={s.name}>
            <title>{s.name}</title>
            {s.points.length > 1 && (
              <polyline
                fill="none"
                stroke={s.color}
                strokeWidth={2}
                points={s.points
                  .map(p => `${x(p.day)},${y(p.value)}`)
                  .join(' ')}
              />
            )}
            {s.points.map(p => (
              <circle
                key={p.day}
                cx={x(p.day)}
                cy={y(p.value)}
                r={s.points.length > 60 ? 1.5 : 3}
                fill={s.color}
              >
                <title>{`${s.name}, ${p.day}: ${format(p.value)}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <Legend
        label={`Legend: ${label}`}
        items={series.map(s => ({ name: s.name, color: s.color }))}
      />
    </div>
  );
}
