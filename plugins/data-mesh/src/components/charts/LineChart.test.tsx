import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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

  it('gives screen readers every figure in a table, and shows it on request', async () => {
    render(
      <LineChart
        label="Data products over the last 90 days: 40 on 2026-12-02, 42 on 2026-12-04"
        series={[
          ...series(['2026-12-02', '2026-12-03', '2026-12-04']),
          {
            name: 'Created from a template',
            color: '#2e7d32',
            points: [{ day: '2026-12-04', value: 7 }],
          },
        ]}
      />,
    );

    // The drawing has a name that summarises it...
    expect(
      screen.getByRole('img', {
        name: 'Data products over the last 90 days: 40 on 2026-12-02, 42 on 2026-12-04',
      }),
    ).toBeInTheDocument();
    // ...and the figures are in a table, a row per day.
    const table = screen.getByRole('table', {
      name: /^Figures: Data products over the last 90 days/,
    });
    const rows = within(table)
      .getAllByRole('row')
      .map(row => row.textContent);
    expect(rows).toEqual([
      'DayAll data productsCreated from a template',
      '2026-12-0240–',
      '2026-12-0341–',
      '2026-12-04427',
    ]);

    const toggle = screen.getByRole('button', { name: 'Show the figures' });
    await userEvent.click(toggle);
    expect(
      screen.getByRole('button', { name: 'Hide the figures' }),
    ).toBeInTheDocument();
  });
});
