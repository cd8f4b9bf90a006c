import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * The scaffolder field `EntityTitlePicker` (new frontend system): picks a
 * catalog entity by its title and stores `{ title, ref }`.
 */
export const entityTitlePickerFormFieldExtension = FormFieldBlueprint.make({
  name: 'entity-title-picker',
  params: {
    field: () => import('./formFields').then(m => m.entityTitlePickerFormField),
  },
});

/**
 * The scaffolder field `DataProductOutputPortPicker` (new frontend system):
 * picks an output port of the data product chosen in a sibling field.
 */
export const dataProductOutputPortPickerFormFieldExtension =
  FormFieldBlueprint.make({
    name: 'data-product-output-port-picker',
    params: {
      field: () =>
        import('./formFields').then(
          m => m.dataProductOutputPortPickerFormField,
        ),
    },
  });
