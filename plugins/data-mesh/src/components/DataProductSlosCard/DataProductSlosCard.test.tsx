import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { DataProductSlosCard } from './DataProductSlosCard';
import { sampleDataProduct } from '../../testing/sampleDataProduct';

async function renderCard(entity: Entity) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <DataProductSlosCard />
    </EntityProvider>,
  );
}

function field(label: string): HTMLElement {
  const heading = screen.getByRole('heading', {
    level: 4,
    name: new RegExp(`^${label}(\\s|$)`),
  });
  return heading.nextElementSibling as HTMLElement;
}

describe('DataProductSlosCard', () => {
  it('shows each SLO in words, with classification and compliance', async () => {
    await renderCard(sampleDataProduct());

    expect(screen.getByText('SLOs and classification')).toBeInTheDocument();
    expect(field('Freshness')).toHaveTextContent(
      '1 hourThe newest data is at most 1 hour old.',
    );
    expect(field('Interval of change')).toHaveTextContent(
      '15 minutesThe data changes every 15 minutes.',
    );
    expect(field('Timeliness')).toHaveTextContent(
      '30 minutesEvents are served at most 30 minutes after they happen.',
    );
    expect(field('Completeness')).toHaveTextContent(
      '99.5%At least 99.5% of the expected records are present.',
    );
    expect(field('Availability')).toHaveTextContent(
      '99.9%The output ports are readable 99.9% of the time.',
    );

    expect(field('Classification')).toHaveTextContent('confidential');
    expect(field('Contains PII')).toHaveTextContent('Yes');
    expect(field('Retention')).toHaveTextContent('2 years');
    expect(field('Regulations')).toHaveTextContent('GDPRCCPA');

    expect(screen.queryByText('No SLOs declared')).not.toBeInTheDocument();
    expect(screen.queryByText('PII without retention')).not.toBeInTheDocument();
  });

  it('flags a product without SLOs', async () => {
    await renderCard(sampleDataProduct({ spec: { slos: undefined } }));

    const slos = screen.getByRole('region', {
      name: 'Service level objectives',
    });
    expect(
      within(slos).getByRole('note', { name: 'No SLOs declared' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('heading', { name: /^Freshness/ }),
    ).not.toBeInTheDocument();
  });

  it('treats an empty slos object as no SLOs', async () => {
    await renderCard(sampleDataProduct({ spec: { slos: {} } }));

    expect(screen.getByText('No SLOs declared')).toBeInTheDocument();
  });

  it('flags personal data kept without a retention period', async () => {
    await renderCard(
      sampleDataProduct({ spec: { containsPii: true, retention: undefined } }),
    );

    expect(
      within(field('Retention')).getByRole('note', {
        name: 'PII without retention',
      }),
    ).toBeInTheDocument();
  });

  it('does not flag missing retention without personal data', async () => {
    await renderCard(
      sampleDataProduct({
        spec: {
          containsPii: false,
          retention: undefined,
          regulations: undefined,
          classification: undefined,
          outputPorts: [],
        },
      }),
    );

    expect(field('Retention')).toHaveTextContent('Not declared');
    expect(field('Contains PII')).toHaveTextContent('No');
    expect(field('Regulations')).toHaveTextContent('None declared');
    expect(field('Classification')).toHaveTextContent('Not classified');
    expect(screen.queryByText('PII without retention')).not.toBeInTheDocument();
  });

  it('flags PII fields in a schema when containsPii is not set', async () => {
    await renderCard(sampleDataProduct({ spec: { containsPii: undefined } }));

    expect(
      screen.getByRole('note', {
        name: 'PII fields, but containsPii is not set',
      }),
    ).toHaveTextContent('orders-table.customer_email');
    expect(field('Contains PII')).toHaveTextContent('Not stated');
  });
});
