import { render, screen } from '@testing-library/react';
import { LineChart } from './LineChart';

const series = (days: string[]) => [
  {
    name: 'All data products',
    color: '#1565c0',
    points: days.map((day, i) => ({ day, value: 40 + i })),
  },
];

describe('LineChart', () => {
  it('says there is one day of history instead of drawing a lone dot', () => {
    render(
      <LineChart
        label="Data products over the last 90 days: 44 today"
        series={series(['2026-12-04'])}
      />,
    );

    expect(screen.getByRole('note')).toHaveTextContent(
      'One day of history so far (2026-12-04); the chart starts with the second day. Data products over the last 90 days: 44 today',
    );
    expect(screen.queryByRole('img')).toBeNull();
  });

  it('draws the chart from the second day on', () => {
    render(
      <LineChart
        label="Data products over the last 90 days"
        series={series(['2026-12-03', '2026-12-04'])}
      />,
    );

    expect(
      screen.getByRole('img', { name: 'Data products over the last 90 days' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('note')).toBeNull();
  });
});
