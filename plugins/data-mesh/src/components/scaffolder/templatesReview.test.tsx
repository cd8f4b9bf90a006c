import fs from 'node:fs';
import path from 'node:path';
import { render, screen, within } from '@testing-library/react';
import {
  ReviewState,
  extractSchemaFromStep,
} from '@backstage/plugin-scaffolder-react/alpha';
import { parse } from 'yaml';

/**
 * The review step of the repository's data product templates, as the stock
 * scaffolder renders it from the templates' schemas and what the pickers
 * store.
 */
const templatesDir = path.resolve(
  __dirname,
  '../../../../../templates/data-product',
);

function stepsOf(file: string) {
  const template = parse(
    fs.readFileSync(path.join(templatesDir, file), 'utf8'),
  );
  return (template.spec.parameters as any[]).map(step => ({
    ...extractSchemaFromStep(step),
    mergedSchema: step,
    title: step.title,
  }));
}

const firstPage = {
  name: 'daily-refunds',
  title: 'Daily refunds',
  description: 'Refunds per day, channel and reason, for sales and finance.',
  domain: { title: 'Sales', ref: 'domain:default/sales' },
  owner: { title: 'Payments Service', ref: 'group:default/payments-service' },
  productOwner: { title: 'Maria Silva', ref: 'user:default/maria.silva' },
  lifecycle: 'experimental',
};

const lastPage = {
  slos: {
    freshness: 'P1D',
    intervalOfChange: 'PT6H',
    completeness: 99,
    availability: 99.5,
  },
  classification: 'internal',
  containsPii: true,
  retention: 'P1Y',
  regulations: ['GDPR'],
};

/** The review's rows as [label, value] text. */
function reviewRows(): Array<[string, string]> {
  return within(screen.getByRole('table'))
    .getAllByRole('row')
    .map(row => {
      const cells = within(row).getAllByRole('cell');
      return [cells[0].textContent ?? '', cells[1].textContent ?? ''];
    });
}

describe.each([
  'source-aligned.yaml',
  'aggregate.yaml',
  'consumer-aligned.yaml',
])('the review of %s', file => {
  it('shows titles, durations and yes/no instead of references and codes', () => {
    render(
      <ReviewState
        schemas={stepsOf(file)}
        formState={{ ...firstPage, ...lastPage }}
      />,
    );
    const rows = reviewRows();
    expect(rows).toEqual(
      expect.arrayContaining([
        ['Domain', 'Sales'],
        ['Owning team', 'Payments Service'],
        ['Product owner', 'Maria Silva'],
        ['Lifecycle', 'Experimental: consumers should not rely on it yet'],
        ['Freshness', '1 day'],
        ['Updated every', '6 hours'],
        ['Classification', 'Internal: every employee'],
        ['Contains personal data', 'Yes'],
        ['Retention', '1 year'],
      ]),
    );
    // The references stay in the stored values, out of sight.
    expect(screen.getByRole('table').textContent).not.toMatch(
      /domain:default|group:default|user:default|P1D|PT6H|P1Y/,
    );
  });

  it('says No for data without personal data', () => {
    render(
      <ReviewState
        schemas={stepsOf(file)}
        formState={{ ...firstPage, ...lastPage, containsPii: false }}
      />,
    );
    expect(reviewRows()).toContainEqual(['Contains personal data', 'No']);
  });
});
