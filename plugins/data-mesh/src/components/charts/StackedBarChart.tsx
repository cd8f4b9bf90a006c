import { ChartFrame, plotArea } from './ChartFrame';

/** Props of {@link StackedBarChart}. */
export type StackedBarChartProps = {
  /** One bar per day; each key's count stacks in `keys` order, bottom up. */
  days: Array<{ day: string; values: Record<string, number> }>;
  keys: Array<{ key: string; name: string; color: string }>;
  /** Read by screen readers instead of the drawing: say what it shows. */
  label: string;
  height?: number;
};

/** Counts per day as stacked bars, e.g. products per level. */
export function StackedBarChart(props: StackedBarChartProps) {
  const { days, keys, label, height = 200 } = props;
  const totals = days.map(d =>
    keys.reduce((sum, k) => sum + (d.values[k.key] ?? 0), 0),
  );
  const max = Math.max(1, ...totals);
  const plot = plotArea(height);
  const slot = days.length ? plot.width / days.length : plot.width;
  const barWidth = Math.max(1, slot * 0.8);
  const scale = (n: number) => (n / max) * plot.height;

  return (
    <ChartFrame
      label={label}
      height={height}
      ticks={[0, max]}
      y={tick => plot.bottom - scale(tick)}
      days={days.map(d => d.day)}
      legend={keys}
      table={{
        columns: [...keys.map(k => k.name), 'Total'],
        rows: days.map((d, i) => ({
          day: d.day,
          values: [
            ...keys.map(k => String(d.values[k.key] ?? 0)),
            String(totals[i]),
          ],
        })),
      }}
    >
      {days.map((d, i) => {
        let base = plot.bottom;
        return (
          <g key={d.day}>
            <title>{`${d.day}: ${totals[i]} products`}</title>
            {keys.map(k => {
              const count = d.values[k.key] ?? 0;
              if (count <= 0) {
                return null;
              }
              const h = scale(count);
              base -= h;
              return (
                <rect
                  key={k.key}
                  x={plot.left + i * slot + (slot - barWidth) / 2}
                  y={base}
                  width={barWidth}
                  height={h}
                  fill={k.color}
                >
                  <title>{`${d.day}, ${k.name}: ${count}`}</title>
                </rect>
              );
            })}
          </g>
        );
      })}
    </ChartFrame>
  );
}
