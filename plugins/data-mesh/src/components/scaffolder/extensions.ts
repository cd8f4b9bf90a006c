import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { dataMeshPlugin } from '../../plugin';
import {
  ENTITY_TITLE_PICKER,
  EntityTitlePicker,
  EntityTitlePickerUiOptions,
  validateEntityTitlePicker,
} from './EntityTitlePicker';
import {
  DATA_PRODUCT_OUTPUT_PORT_PICKER,
  DataProductOutputPortPicker,
  DataProductOutputPortPickerUiOptions,
  validateDataProductOutputPortPicker,
} from './DataProductOutputPortPicker';
import {
  dataProductOutputPortPickerSchema,
  entityTitlePickerSchema,
} from './schemas';
import type { EntityTitlePickerValue } from './formValues';

/**
 * Scaffolder field `EntityTitlePicker`, for the legacy frontend system: picks
 * a catalog entity by its title and stores `{ title, ref }`, so the form and
 * the review show titles. Add it inside `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const EntityTitlePickerFieldExtension = dataMeshPlugin.provide(
  createScaffolderFieldExtension<
    EntityTitlePickerValue | string | undefined,
    EntityTitlePickerUiOptions
  >({
    name: ENTITY_TITLE_PICKER,
    component: EntityTitlePicker,
    validation: validateEntityTitlePicker,
    schema: entityTitlePickerSchema,
  }),
);

/**
 * Scaffolder field `DataProductOutputPortPicker`, for the legacy frontend
 * system: picks one of the output ports of the data product chosen in a
 * sibling field. Add it inside `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const DataProductOutputPortPickerFieldExtension = dataMeshPlugin.provide(
  createScaffolderFieldExtension<
    string | undefined,
    DataProductOutputPortPickerUiOptions
  >({
    name: DATA_PRODUCT_OUTPUT_PORT_PICKER,
    component: DataProductOutputPortPicker,
    validation: validateDataProductOutputPortPicker,
    schema: dataProductOutputPortPickerSchema,
  }),
);
