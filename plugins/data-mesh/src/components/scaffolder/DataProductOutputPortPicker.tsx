import { useEffect, useMemo, useState } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import type { ApiHolder } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  entityPresentationApiRef,
  entityPresentationSnapshot,
} from '@backstage/plugin-catalog-react';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { ScaffolderField } from '@backstage/plugin-scaffolder-react/alpha';
import type { JsonObject } from '@backstage/types';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { parentOfField, pickerValues, refOf } from './formValues';
import { PickerOption } from './PickerOption';

/** The `ui:field` name of {@link DataProductOutputPortPicker}. */
export const DATA_PRODUCT_OUTPUT_PORT_PICKER = 'DataProductOutputPortPicker';

/**
 * The `ui:options` of the DataProductOutputPortPicker field.
 *
 * @public
 */
export type DataProductOutputPortPickerUiOptions = {
  /**
   * The sibling field that holds the chosen data product (an
   * EntityTitlePicker or EntityPicker value); `dataProduct` when omitted.
   */
  dataProductField?: string;
};

type Port = { name: string; description?: string };

type Product = { ref: string; title: string; ports: Port[] };

function portsOf(entity: Entity): Port[] {
  const ports = (entity.spec as { outputPorts?: unknown })?.outputPorts;
  if (!Array.isArray(ports)) return [];
  return ports
    .filter(p => p && typeof p.name === 'string' && p.name)
    .map(p => ({
      name: p.name as string,
      ...(typeof p.description === 'string' &&
        p.description && { description: p.description }),
    }));
}

/** The product and its output ports from the catalog; undefined when it is not there. */
async function loadProduct(
  apis: ApiHolder,
  ref: string,
): Promise<Product | undefined> {
  const catalogApi = apis.get(catalogApiRef);
  if (!catalogApi) throw new Error('The catalog API is not available');
  const entity = await catalogApi.getEntityByRef(ref);
  if (!entity) return undefined;
  return {
    ref,
    title: entityPresentationSnapshot(
      entity,
      undefined,
      apis.get(entityPresentationApiRef),
    ).primaryTitle,
    ports: portsOf(entity),
  };
}

type LoadState =
  | { status: 'none' }
  | { status: 'loading'; ref: string }
  | { status: 'loaded'; ref: string; product?: Product }
  | { status: 'failed'; ref: string; error: Error };

/**
 * Picks an output port of the data product chosen in a sibling field, from
 * the product's `spec.outputPorts` in the catalog. A change of product clears
 * a port the new product does not have.
 */
export function DataProductOutputPortPicker(
  props: FieldExtensionComponentProps<
    string | undefined,
    DataProductOutputPortPickerUiOptions
  >,
) {
  const {
    onChange,
    schema: { title = 'Output port', description },
    uiSchema,
    required,
    rawErrors,
    formData,
    formContext,
    idSchema,
    name,
    disabled,
    errors,
  } = props;
  const apis = useApiHolder();
  // Fails early, with Backstage's message, when the app has no catalog API.
  useApi(catalogApiRef);
  const productField =
    uiSchema?.['ui:options']?.dataProductField ?? 'dataProduct';
  const parent = parentOfField(
    formContext?.formData as JsonObject | undefined,
    idSchema?.$id ?? '',
    name,
  );
  const productRef = refOf(parent?.[productField]);

  const [state, setState] = useState<LoadState>(() =>
    productRef ? { status: 'loading', ref: productRef } : { status: 'none' },
  );
  useEffect(() => {
    if (!productRef) {
      setState({ status: 'none' });
      return undefined;
    }
    let cancelled = false;
    setState({ status: 'loading', ref: productRef });
    loadProduct(apis, productRef)
      .then(product => {
        if (!cancelled)
          setState({ status: 'loaded', ref: productRef, product });
      })
      .catch(error => {
        if (!cancelled) setState({ status: 'failed', ref: productRef, error });
      });
    return () => {
      cancelled = true;
    };
  }, [apis, productRef]);

  const product =
    state.status === 'loaded' && state.ref === productRef
      ? state.product
      : undefined;
  const loaded = state.status === 'loaded' && state.ref === productRef;
  const ports = useMemo(() => product?.ports ?? [], [product]);

  // A port chosen for another product does not carry over: once the new
  // product's ports are known, or no product is chosen, a stale port goes.
  useEffect(() => {
    if (!formData) return;
    if (!productRef || (loaded && !ports.some(p => p.name === formData))) {
      onChange(undefined);
    }
  }, [productRef, loaded, ports, formData, onChange]);

  let helperText: string | undefined;
  if (!productRef) {
    helperText = 'Choose the data product first.';
  } else if (state.status === 'failed') {
    helperText = `The catalog could not list the output ports: ${state.error.message}`;
  } else if (loaded && !product) {
    helperText = `${productRef} is not in the catalog; choose another data product.`;
  } else if (loaded && !ports.length) {
    helperText = `${
      product!.title
    } has no output ports; choose another data product.`;
  }
  const value = ports.find(p => p.name === formData) ?? null;

  return (
    <ScaffolderField
      rawErrors={rawErrors}
      rawDescription={uiSchema?.['ui:description'] ?? description}
      required={required}
      disabled={disabled}
      errors={errors}
    >
      <Autocomplete<Port>
        id={idSchema?.$id}
        options={ports}
        value={value}
        loading={state.status === 'loading'}
        disabled={disabled || !productRef || (loaded && !ports.length)}
        getOptionLabel={port => port.name}
        getOptionSelected={(port, selected) => port.name === selected.name}
        onChange={(_event, port) => onChange(port?.name)}
        noOptionsText="No output ports"
        renderOption={port => (
          <PickerOption label={port.name} detail={port.description} />
        )}
        renderInput={params => (
          <TextField
            {...params}
            label={title}
            margin="dense"
            variant="outlined"
            required={required}
            error={
              !!rawErrors?.length ||
              state.status === 'failed' ||
              (loaded && !ports.length)
            }
            helperText={helperText ?? value?.description}
          />
        )}
      />
    </ScaffolderField>
  );
}

/**
 * Checks that each chosen port is an output port of the chosen product, as
 * the catalog has it now. Inside an array the scaffolder hands over the whole
 * array, with the items' schema and uiSchema.
 */
export const validateDataProductOutputPortPicker: CustomFieldValidator<
  string | undefined,
  DataProductOutputPortPickerUiOptions
> = async (value, validation, context) => {
  // Typed as the field's value, but an array of items inside arrays.
  const data: unknown = value;
  const check = async (
    port: unknown,
    productValue: unknown,
    name: string,
    productName: string,
  ) => {
    const productRef = refOf(productValue);
    if (!productRef) return;
    const product = await loadProduct(context.apiHolder, productRef);
    if (!product) {
      validation.addError(
        `${productName}: ${productRef} is not in the catalog; choose another data product.`,
      );
    } else if (!product.ports.length) {
      validation.addError(
        `${name}: ${product.title} has no output ports; choose another data product.`,
      );
    } else if (typeof port === 'string' && port) {
      if (!product.ports.some(p => p.name === port)) {
        validation.addError(
          `${name}: "${port}" is not an output port of ${
            product.title
          }; choose one of ${product.ports.map(p => p.name).join(', ')}.`,
        );
      }
    }
  };

  for (const { value: port, options, siblings, name } of pickerValues(
    data,
    context,
    DATA_PRODUCT_OUTPUT_PORT_PICKER,
    'Output port',
  )) {
    const productField = options?.dataProductField ?? 'dataProduct';
    await check(port, siblings?.[productField], name(), name(productField));
  }
};
