import { useTheme } from '@material-ui/core/styles';
import { Legend } from './Legend';

/** Props of {@link StackedBarChart}. */
export type StackedBarChartProps = {
  /** One bar per day; each key's count stacks in `keys` order, bottom up. */
  days: Array<{ day: string; values: Record<string, number> }>;
  keys: Array<{ key: string; name: string; color: string }>;
  /** Read by screen readers instead of the drawing: say what it shows. */
  label: string;
  height?: number;
};

const WIDTH = 600;
const LEFT = 40;
const RIGHT = 12;
const TOP = 10;
const BOTTOM = 22;

/** Counts per day as stacked bars, e.g. products per level. */
export function StackedBarChart(props: StackedBarChartProps) {
  const { days, keys, label, height = 200 } = props;
  const theme = useTheme();
  const totals = days.map(d =>
    keys.reduce((sum, k) => sum + (d.values[k.key] ?? 0), 0),
  );
  const max = Math.max(1, ...totals);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = height - TOP - BOTTOM;
  const slot = days.length ? plotWidth / days.length : plotWidth;
  const barWidth = Math.max(1, slot * 0.8);
  const scale = (n: number) => (n / max) * plotHeight;

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
        {[0, max].map(tick => (
          <g key={tick}>
            <line
              x1={LEFT}
              x2={WIDTH - RIGHT}
              y1={TOP + plotHeight - scale(tick)}
              y2={TOP + plotHeight - scale(tick)}
              stroke={theme.palette.divider}
            />
            <text
              x={LEFT - 6}
              y={TOP + plotHeight - scale(tick) + 4}
              textAnchor="end"
              fontSize={11}
              fill={theme.palette.text.secondary}
            >
              {tick}
            </text>
          </g>
        ))}
        {days.map((d, i) => {
          let base = TOP + plotHeight;
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
                    x={LEFT + i * slot + (slot - barWidth) / 2}
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
        {days.length > 0 && (
          <>
            <text
              x={LEFT}
              y={height - 6}
              fontSize={11}
              fill={theme.palette.text.secondary}
            >
              {days[0].day}
            </text>
            {days.length > 1 && (
              <text
                x={WIDTH - RIGHT}
                y={height - 6}
                textAnchor="end"
                fontSize={11}
                fill={theme.palette.text.secondary}
              >
                {days[days.length - 1].day}
              </text>
            )}
          </>
        )}
      </svg>
      <Legend
        label={`Legend: ${label}`}
        items={keys.map(k => ({ name: k.name, color: k.color }))}
      />
    </div>
  );
}
