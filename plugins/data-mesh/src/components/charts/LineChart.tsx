import { ChartFrame, plotArea } from './ChartFrame';

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

/** Lines over days on a shared day axis, with a y axis and a legend. */
export function LineChart(props: LineChartProps) {
  const { series, label, format = String, height = 200 } = props;
  const days = [
    ...new Set(series.flatMap(s => s.points.map(p => p.day))),
  ].sort();
  const largest = Math.max(
    1,
    ...series.flatMap(s => s.points.map(p => p.value)),
  );
  const max = props.max ?? largest;
  const plot = plotArea(height);
  const x = (day: string) => {
    const i = days.indexOf(day);
    return days.length < 2
      ? plot.left + plot.width / 2
      : plot.left + (i * plot.width) / (days.length - 1);
  };
  const y = (value: number) =>
    plot.bottom - (Math.max(0, Math.min(max, value)) / max) * plot.height;

  return (
    <ChartFrame
      label={label}
      height={height}
      ticks={[0, max / 2, max]}
      y={y}
      format={format}
      days={days}
      legend={series}
      table={{
        columns: series.map(s => s.name),
        rows: days.map(day => ({
          day,
          values: series.map(s => {
            const point = s.points.find(p => p.day === day);
            return point ? format(point.value) : '–';
          }),
        })),
      }}
    >
      {series.map(s => (
        <g key={s.name}>
          <title>{s.name}</title>
          {s.points.length > 1 && (
            <polyline
              fill="none"
              stroke={s.color}
              strokeWidth={2}
              points={s.points.map(p => `${x(p.day)},${y(p.value)}`).join(' ')}
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
    </ChartFrame>
  );
}
