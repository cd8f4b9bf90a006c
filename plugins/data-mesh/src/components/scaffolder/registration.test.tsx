import { createExtensionTester } from '@backstage/frontend-test-utils';
import { getComponentData } from '@backstage/core-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import dataMeshPlugin from '../../alpha';
import {
  DataProductOutputPortPickerFieldExtension,
  EntityTitlePickerFieldExtension,
} from '../..';
import {
  dataProductOutputPortPickerFormField,
  entityTitlePickerFormField,
} from './formFields';
import { EntityTitlePicker } from './EntityTitlePicker';
import { DataProductOutputPortPicker } from './DataProductOutputPortPicker';

// The key under which createScaffolderFieldExtension stores a field for
// <ScaffolderFieldExtensions> to find.
const FIELD_EXTENSION_KEY = 'scaffolder.extensions.field.v1';

describe('the scaffolder fields, registered for both frontend systems', () => {
  it.each([
    [
      'scaffolder-form-field:data-mesh/entity-title-picker',
      entityTitlePickerFormField,
    ],
    [
      'scaffolder-form-field:data-mesh/data-product-output-port-picker',
      dataProductOutputPortPickerFormField,
    ],
  ])('%s is a form field of the data-mesh plugin', async (id, field) => {
    const tester = createExtensionTester(dataMeshPlugin.getExtension(id));
    const loader = (tester.get as (r: unknown) => () => Promise<unknown>)(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );
    expect(await loader()).toBe(field);
  });

  it.each([
    ['EntityTitlePicker', EntityTitlePickerFieldExtension, EntityTitlePicker],
    [
      'DataProductOutputPortPicker',
      DataProductOutputPortPickerFieldExtension,
      DataProductOutputPortPicker,
    ],
  ])(
    'the legacy %s extension names its ui:field and brings its validation',
    (name, Extension, component) => {
      const data = getComponentData<any>(<Extension />, FIELD_EXTENSION_KEY);
      expect(data).toMatchObject({ name, component });
      expect(typeof data.validation).toBe('function');
    },
  );
});
