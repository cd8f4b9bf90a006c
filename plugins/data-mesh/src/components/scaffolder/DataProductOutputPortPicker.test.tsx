import { useState } from 'react';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import {
  DataProductOutputPortPicker,
  validateDataProductOutputPortPicker,
} from './DataProductOutputPortPicker';
import { scaffolderCatalog } from './__testUtils__/catalog';

const entities = scaffolderCatalog;

const pick = (name: string, title: string) => ({
  title,
  ref: `dataproduct:default/${name}`,
});

let setForm: (form: any) => void;

/**
 * The field inside the upstreams array of a scaffolder form, which hands
 * every field the form's data as formContext.formData.
 */
function Host(props: { initial: any; onValue: (value: unknown) => void }) {
  const [form, setFormState] = useState<any>(props.initial);
  setForm = setFormState;
  const item = form.upstreams[1];
  return (
    <DataProductOutputPortPicker
      {...({} as any)}
      name="outputPort"
      schema={{ title: 'Output port read' }}
      uiSchema={{
        'ui:field': 'DataProductOutputPortPicker',
        'ui:options': { dataProductField: 'dataProduct' },
      }}
      idSchema={{ $id: 'root_upstreams_1_outputPort' } as any}
      formContext={{ formData: form }}
      required
      rawErrors={[]}
      formData={item.outputPort}
      onChange={(next: unknown) => {
        setFormState((current: any) => ({
          ...current,
          upstreams: current.upstreams.map((u: any, i: number) =>
            i === 1 ? { ...u, outputPort: next } : u,
          ),
        }));
        props.onValue(next);
      }}
    />
  );
}

async function renderPicker(second: object) {
  const onValue = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApiMock({ entities })]]}>
      <Host
        initial={{
          name: 'refund-watch',
          upstreams: [
            // The first item must not be read for the second's ports.
            { dataProduct: pick('refunds', 'Refunds') },
            second,
          ],
        }}
        onValue={onValue}
      />
    </TestApiProvider>,
  );
  return onValue;
}

describe('DataProductOutputPortPicker', () => {
  it("lists the chosen product's output ports with their descriptions and stores the name", async () => {
    const onValue = await renderPicker({
      dataProduct: pick('orders', 'Orders'),
    });

    const input = screen.getByRole('textbox', { name: /Output port read/ });
    await waitFor(() => expect(input).toBeEnabled());
    await userEvent.click(input);
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'orders-tableEvery order as placed',
      'orders-stream',
    ]);

    await userEvent.click(screen.getByRole('option', { name: /orders-table/ }));
    expect(onValue).toHaveBeenLastCalledWith('orders-table');
    expect(input).toHaveValue('orders-table');
    expect(screen.getByText('Every order as placed')).toBeInTheDocument();
  });

  it('asks for the product first', async () => {
    await renderPicker({});
    expect(
      screen.getByRole('textbox', { name: /Output port read/ }),
    ).toBeDisabled();
    expect(
      screen.getByText('Choose the data product first.'),
    ).toBeInTheDocument();
  });

  it('says so when the product has no output ports', async () => {
    await renderPicker({ dataProduct: pick('drafts', 'Drafts') });
    expect(
      await screen.findByText(
        'Drafts has no output ports; choose another data product.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('textbox', { name: /Output port read/ }),
    ).toBeDisabled();
  });

  it('keeps a port the product has, and clears it when another product is chosen', async () => {
    const onValue = await renderPicker({
      dataProduct: pick('orders', 'Orders'),
      outputPort: 'orders-stream',
    });
    const input = screen.getByRole('textbox', { name: /Output port read/ });
    await waitFor(() => expect(input).toHaveValue('orders-stream'));
    expect(onValue).not.toHaveBeenCalled();

    act(() =>
      setForm((current: any) => ({
        ...current,
        upstreams: [
          current.upstreams[0],
          { ...current.upstreams[1], dataProduct: pick('refunds', 'Refunds') },
        ],
      })),
    );
    await waitFor(() => expect(onValue).toHaveBeenLastCalledWith(undefined));
    expect(input).toHaveValue('');

    await userEvent.click(input);
    expect(
      (await screen.findAllByRole('option')).map(o => o.textContent),
    ).toEqual(['refunds-tableRefunds issued']);
  });
});

describe('validateDataProductOutputPortPicker', () => {
  // Inside arrays the scaffolder passes the whole array, not the field's value.
  const validate = validateDataProductOutputPortPicker as (
    data: unknown,
    validation: ReturnType<typeof createFieldValidation>,
    context: unknown,
  ) => Promise<void>;
  const apiHolder = {
    get: (ref: ApiRef<unknown>) =>
      ref.id === catalogApiRef.id ? catalogApiMock({ entities }) : undefined,
  } as any;
  // Inside an array, the scaffolder validates the whole array at once with
  // the items' schema and uiSchema.
  const arrayContext = {
    apiHolder,
    formData: {},
    schema: {
      properties: {
        dataProduct: { title: 'Data product' },
        outputPort: { title: 'Output port read' },
      },
    },
    uiSchema: {
      dataProduct: { 'ui:field': 'EntityTitlePicker' },
      outputPort: {
        'ui:field': 'DataProductOutputPortPicker',
        'ui:options': { dataProductField: 'dataProduct' },
      },
    },
  } as any;

  it('accepts ports the products have', async () => {
    const validation = createFieldValidation();
    await validate(
      [
        { dataProduct: pick('orders', 'Orders'), outputPort: 'orders-table' },
        {
          dataProduct: 'dataproduct:default/refunds',
          outputPort: 'refunds-table',
        },
      ],
      validation,
      arrayContext,
    );
    expect(validation.__errors).toEqual([]);
  });

  it('names the field and the item for a port the product lacks, a product without ports and one not in the catalog', async () => {
    const validation = createFieldValidation();
    await validate(
      [
        { dataProduct: pick('orders', 'Orders'), outputPort: 'refunds-table' },
        { dataProduct: pick('drafts', 'Drafts') },
        { dataProduct: pick('gone', 'Gone'), outputPort: 'x' },
      ],
      validation,
      arrayContext,
    );
    expect(validation.__errors).toEqual([
      'Output port read (1): "refunds-table" is not an output port of Orders; choose one of orders-table, orders-stream.',
      'Output port read (2): Drafts has no output ports; choose another data product.',
      'Data product (3): dataproduct:default/gone is not in the catalog; choose another data product.',
    ]);
  });

  it('reads the product from a top-level sibling outside arrays', async () => {
    const validation = createFieldValidation();
    await validate('nope', validation, {
      apiHolder,
      formData: { upstream: pick('orders', 'Orders') },
      schema: { title: 'Port' },
      uiSchema: {
        'ui:field': 'DataProductOutputPortPicker',
        'ui:options': { dataProductField: 'upstream' },
      },
    } as any);
    expect(validation.__errors).toEqual([
      'Port: "nope" is not an output port of Orders; choose one of orders-table, orders-stream.',
    ]);
  });
});
