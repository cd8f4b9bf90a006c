import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type {
  AdoptionResponse,
  LevelDefinition,
  PolicyDescription,
} from '@quanta/plugin-data-mesh-common';
import {
  formatPercent,
  levelColor,
  levelLabel,
  orderedLevels,
  worstPolicyIds,
} from '../../lib/governance';
import { SERIES_COLORS } from '../../lib/palette';
import { LineChart } from '../charts/LineChart';
import { StackedBarChart } from '../charts/StackedBarChart';

function ChartTitle(props: { children: string }) {
  return (
    <Typography variant="subtitle2" component="h3" gutterBottom>
      {props.children}
    </Typography>
  );
}

/** Adoption over time: products, template share, levels and pass rates. */
export function AdoptionCharts(props: {
  adoption: AdoptionResponse;
  ladder: LevelDefinition[];
  policies: Map<string, PolicyDescription>;
  days: number;
}) {
  const { adoption, ladder, policies, days } = props;
  const first = adoption.days[0];
  const last = adoption.days[adoption.days.length - 1];
  const share = (d: { products: number; fromTemplate: number }) =>
    d.products ? (d.fromTemplate / d.products) * 100 : 0;
  const levelNames = orderedLevels(ladder, ...adoption.days.map(d => d.levels));
  const worst = worstPolicyIds(adoption, 5);
  const policyDays = new Map(adoption.policies.map(p => [p.policyId, p]));
  const titleOf = (id: string) =>
    policies.get(id)?.title ?? policyDays.get(id)?.title ?? id;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <ChartTitle>Data products</ChartTitle>
        <LineChart
          label={`Data products over the last ${days} days: ${first.products} on ${first.day}, ${last.products} on ${last.day}, ${last.fromTemplate} of them created from a template`}
          series={[
            {
              name: 'All data products',
              color: SERIES_COLORS[0],
              points: adoption.days.map(d => ({
                day: d.day,
                value: d.products,
              })),
            },
            {
              name: 'Created from a template',
              color: SERIES_COLORS[2],
              points: adoption.days.map(d => ({
                day: d.day,
                value: d.fromTemplate,
              })),
            },
          ]}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <ChartTitle>Share created from a template</ChartTitle>
        <LineChart
          label={`Share of data products created from a template: ${formatPercent(
            share(first),
          )} on ${first.day}, ${formatPercent(share(last))} on ${last.day}`}
          max={100}
          format={formatPercent}
          series={[
            {
              name: 'Created from a template',
              color: SERIES_COLORS[2],
              points: adoption.days.map(d => ({ day: d.day, value: share(d) })),
            },
          ]}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <ChartTitle>Levels over time</ChartTitle>
        <StackedBarChart
          label={`Products per level over the last ${days} days; on ${
            last.day
          }: ${levelNames
            .map(name => `${levelLabel(name)} ${last.levels[name] ?? 0}`)
            .join(', ')}`}
          days={adoption.days.map(d => ({ day: d.day, values: d.levels }))}
          keys={levelNames.map(name => ({
            key: name,
            name: levelLabel(name),
            color: levelColor(name, ladder),
          }))}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <ChartTitle>Pass rate of the worst policies</ChartTitle>
        {worst.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            Every policy passes for every product.
          </Typography>
        ) : (
          <LineChart
            label={`Pass rate over the last ${days} days of the policies failing most: ${worst
              .map(id => {
                const series = policyDays.get(id)!.days;
                const rate = series.length
                  ? series[series.length - 1].passRate
                  : 0;
                return `${titleOf(id)} ${formatPercent(rate)}`;
              })
              .join(', ')}`}
            max={100}
            format={formatPercent}
            series={worst.map((id, i) => ({
              name: titleOf(id),
              color: SERIES_COLORS[i % SERIES_COLORS.length],
              points: policyDays
                .get(id)!
                .days.map(d => ({ day: d.day, value: d.passRate })),
            }))}
          />
        )}
      </Grid>
    </Grid>
  );
}
