import fs from 'node:fs';
import path from 'node:path';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { SecretsContextProvider } from '@backstage/plugin-scaffolder-react';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import { parse } from 'yaml';
import {
  EntityTitlePicker,
  validateEntityTitlePicker,
} from './EntityTitlePicker';
import {
  DataProductOutputPortPicker,
  validateDataProductOutputPortPicker,
} from './DataProductOutputPortPicker';
import { scaffolderCatalog } from './__testUtils__/catalog';

/**
 * The aggregate template's "Upstream data products" page in the stock
 * scaffolder wizard, with this plugin's fields: the page a user fills in.
 */
const template = parse(
  fs.readFileSync(
    path.resolve(
      __dirname,
      '../../../../../templates/data-product/aggregate.yaml',
    ),
    'utf8',
  ),
);
const upstreamsPage = (template.spec.parameters as any[]).find(
  p => p.title === 'Upstream data products',
);

const entities = scaffolderCatalog;

const extensions = [
  {
    name: 'EntityTitlePicker',
    component: EntityTitlePicker,
    validation: validateEntityTitlePicker,
  },
  {
    name: 'DataProductOutputPortPicker',
    component: DataProductOutputPortPicker,
    validation: validateDataProductOutputPortPicker,
  },
];

async function renderPage(initialState?: Record<string, any>) {
  const onCreate = jest.fn(async (_values: unknown) => {});
  await renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApiMock({ entities })]]}>
      <SecretsContextProvider>
        <Stepper
          manifest={{
            title: template.metadata.title,
            steps: [{ title: upstreamsPage.title, schema: upstreamsPage }],
          }}
          extensions={extensions as any}
          initialState={initialState}
          onCreate={onCreate}
        />
      </SecretsContextProvider>
    </TestApiProvider>,
  );
  return onCreate;
}

describe('the upstream products page of the aggregate template', () => {
  it('picks the product by title and its port from a list, and creates with references', async () => {
    const onCreate = await renderPage();

    // Item headings read naturally.
    expect(await screen.findByText('Upstream product')).toBeInTheDocument();
    expect(screen.queryByText(/Upstream products-1/)).not.toBeInTheDocument();

    const port = screen.getByRole('textbox', { name: /Output port read/ });
    expect(port).toBeDisabled();

    await userEvent.click(
      screen.getByRole('textbox', { name: /Data product/ }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'Orders' }),
    );
    await waitFor(() => expect(port).toBeEnabled());
    await userEvent.click(port);
    await userEvent.click(
      await screen.findByRole('option', { name: /orders-table/ }),
    );
    expect(port).toHaveValue('orders-table');

    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create' }),
    );
    expect(onCreate).toHaveBeenCalledWith({
      upstreams: [
        {
          dataProduct: { title: 'Orders', ref: 'dataproduct:default/orders' },
          outputPort: 'orders-table',
        },
      ],
    });
  });

  it('clears the port when another product is chosen, and requires a new one', async () => {
    const onCreate = await renderPage({
      upstreams: [
        {
          dataProduct: { title: 'Orders', ref: 'dataproduct:default/orders' },
          outputPort: 'orders-table',
        },
      ],
    });
    const port = screen.getByRole('textbox', { name: /Output port read/ });
    await waitFor(() => expect(port).toHaveValue('orders-table'));

    const productInput = screen.getByRole('textbox', { name: /Data product/ });
    await userEvent.click(productInput);
    await userEvent.click(
      await screen.findByRole('option', { name: 'Refunds' }),
    );
    await waitFor(() => expect(port).toHaveValue(''));

    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    // The browser's own check stops at the empty required port, on the page.
    expect(port).toBeRequired();
    expect(port).toBeInvalid();
    expect(screen.getByRole('button', { name: 'Review' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create' })).toBeNull();
    expect(onCreate).not.toHaveBeenCalled();
  });
});
