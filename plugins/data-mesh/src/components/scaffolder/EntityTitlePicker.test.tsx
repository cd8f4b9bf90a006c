import { useState } from 'react';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import {
  EntityTitlePicker,
  validateEntityTitlePicker,
} from './EntityTitlePicker';

const entity = (
  kind: string,
  name: string,
  title?: string,
  extra: Partial<Entity> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', ...(title && { title }) },
  ...extra,
});

const entities = [
  entity('Domain', 'sales', 'Sales'),
  entity('Domain', 'customer'),
  entity('Group', 'payments-service', undefined, {
    spec: { type: 'team', profile: { displayName: 'Payments Service' } },
  }),
  entity('Group', 'sales-data', 'Sales Data'),
];

const uiSchema = (kind: string) => ({
  'ui:field': 'EntityTitlePicker',
  'ui:options': { catalogFilter: [{ kind }] },
});

/** The field as the scaffolder form hosts it: it keeps the value the field stores. */
function Host(props: {
  kind: string;
  title: string;
  initial?: unknown;
  onValue: (value: unknown) => void;
}) {
  const [value, setValue] = useState<any>(props.initial);
  return (
    <EntityTitlePicker
      {...({} as any)}
      name="field"
      schema={{ title: props.title, description: `The ${props.title}.` }}
      uiSchema={uiSchema(props.kind)}
      idSchema={{ $id: 'root_field' } as any}
      required
      rawErrors={[]}
      formData={value}
      onChange={(next: unknown) => {
        setValue(next);
        props.onValue(next);
      }}
    />
  );
}

async function renderPicker(kind: string, title: string, initial?: unknown) {
  const onValue = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApiMock({ entities })]]}>
      <Host kind={kind} title={title} initial={initial} onValue={onValue} />
    </TestApiProvider>,
  );
  return onValue;
}

describe('EntityTitlePicker', () => {
  it('offers the entities of the filtered kind by title and stores title and reference', async () => {
    const onValue = await renderPicker('Domain', 'Domain');

    const input = screen.getByRole('textbox', { name: /Domain/ });
    await userEvent.click(input);
    const options = await screen.findAllByRole('option');
    // Titles, sorted; a domain without a title goes by its name; no groups.
    expect(options.map(o => o.textContent)).toEqual(['customer', 'Sales']);

    await userEvent.click(screen.getByRole('option', { name: 'Sales' }));
    expect(onValue).toHaveBeenLastCalledWith({
      title: 'Sales',
      ref: 'domain:default/sales',
    });
    // The chosen entity reads as its title, not its reference.
    expect(input).toHaveValue('Sales');
    expect(screen.queryByText(/domain:default/)).not.toBeInTheDocument();
    expect(screen.getByText('The Domain.')).toBeInTheDocument();
  });

  it('shows a team by its display name', async () => {
    const onValue = await renderPicker('Group', 'Owning team');

    await userEvent.type(
      screen.getByRole('textbox', { name: /Owning team/ }),
      'Payments',
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'Payments Service' }),
    );
    expect(onValue).toHaveBeenLastCalledWith({
      title: 'Payments Service',
      ref: 'group:default/payments-service',
    });
  });

  it('turns a reference that arrived as text into title and reference', async () => {
    const onValue = await renderPicker(
      'Group',
      'Owning team',
      'group:default/sales-data',
    );

    await waitFor(() =>
      expect(onValue).toHaveBeenCalledWith({
        title: 'Sales Data',
        ref: 'group:default/sales-data',
      }),
    );
    expect(screen.getByRole('textbox', { name: /Owning team/ })).toHaveValue(
      'Sales Data',
    );
  });

  it('clears the value when the choice is cleared', async () => {
    const onValue = await renderPicker('Domain', 'Domain', {
      title: 'Sales',
      ref: 'domain:default/sales',
    });
    const input = screen.getByRole('textbox', { name: /Domain/ });
    await waitFor(() => expect(input).toHaveValue('Sales'));

    await userEvent.click(screen.getByTitle('Clear'));
    expect(onValue).toHaveBeenLastCalledWith(undefined);
    expect(input).toHaveValue('');
  });
});

describe('validateEntityTitlePicker', () => {
  // Inside arrays the scaffolder passes the whole array, not the field's value.
  const validate = validateEntityTitlePicker as (
    data: unknown,
    validation: ReturnType<typeof createFieldValidation>,
    context: unknown,
  ) => void;
  const context = (ui: object, schema: object) =>
    ({ apiHolder: {} as any, formData: {}, schema, uiSchema: ui } as any);

  it('accepts a chosen entity of the offered kind', () => {
    const validation = createFieldValidation();
    validate(
      { title: 'Sales', ref: 'domain:default/sales' },
      validation,
      context(uiSchema('Domain'), { title: 'Domain' }),
    );
    expect(validation.__errors).toEqual([]);
  });

  it('names the field when the value is of another kind or no reference', () => {
    const validation = createFieldValidation();
    validate(
      { title: 'Sales Data', ref: 'group:default/sales-data' },
      validation,
      context(uiSchema('Domain'), { title: 'Domain' }),
    );
    validate(
      'not a ref:',
      validation,
      context(uiSchema('Domain'), { title: 'Domain' }),
    );
    expect(validation.__errors).toEqual([
      'Domain: choose an entry from the list; group:default/sales-data is not a Domain.',
      'Domain: choose an entry from the list; "not a ref:" is not a catalog entity.',
    ]);
  });

  it('checks every item when the field sits in an array', () => {
    const validation = createFieldValidation();
    validate(
      [
        { source: { title: 'Orders API', ref: 'api:default/orders-api' } },
        { source: { title: 'Sales', ref: 'domain:default/sales' } },
      ],
      validation,
      context(
        {
          source: {
            'ui:field': 'EntityTitlePicker',
            'ui:options': {
              catalogFilter: [{ kind: ['Component', 'API', 'Resource'] }],
            },
          },
        },
        { properties: { source: { title: 'Source' } } },
      ),
    );
    expect(validation.__errors).toEqual([
      'Source (2): choose an entry from the list; domain:default/sales is not a Component, API, Resource.',
    ]);
  });
});
