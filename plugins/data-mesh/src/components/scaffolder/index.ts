export {
  EntityTitlePickerFieldExtension,
  DataProductOutputPortPickerFieldExtension,
} from './extensions';
export type { EntityTitlePickerUiOptions } from './EntityTitlePicker';
export type { DataProductOutputPortPickerUiOptions } from './DataProductOutputPortPicker';
export type { EntityTitlePickerValue } from './formValues';
