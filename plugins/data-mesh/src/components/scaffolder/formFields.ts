import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  ENTITY_TITLE_PICKER,
  EntityTitlePicker,
  validateEntityTitlePicker,
} from './EntityTitlePicker';
import {
  DATA_PRODUCT_OUTPUT_PORT_PICKER,
  DataProductOutputPortPicker,
  validateDataProductOutputPortPicker,
} from './DataProductOutputPortPicker';

// Loaded lazily by the FormFieldBlueprint extensions in ./alpha.

export const entityTitlePickerFormField = createFormField({
  name: ENTITY_TITLE_PICKER,
  component: EntityTitlePicker,
  validation: validateEntityTitlePicker,
});

export const dataProductOutputPortPickerFormField = createFormField({
  name: DATA_PRODUCT_OUTPUT_PORT_PICKER,
  component: DataProductOutputPortPicker,
  validation: validateDataProductOutputPortPicker,
});
