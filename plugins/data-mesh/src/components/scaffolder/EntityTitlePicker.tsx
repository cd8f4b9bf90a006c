import { useEffect, useMemo, useState } from 'react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi, useApiHolder } from '@backstage/core-plugin-api';
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
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  EntityTitlePickerValue,
  fullRef,
  pickerValues,
  refOf,
} from './formValues';
import { PickerOption } from './PickerOption';

/** The `ui:field` name of {@link EntityTitlePicker}. */
export const ENTITY_TITLE_PICKER = 'EntityTitlePicker';

/**
 * The `ui:options` of the EntityTitlePicker field.
 *
 * @public
 */
export type EntityTitlePickerUiOptions = {
  /**
   * Which catalog entities to offer, as the catalog API's filter: one object
   * (all its keys must match) or a list of them (any may match), such as
   * `{ kind: Domain }` or `[{ kind: [Component, API, Resource] }]`.
   */
  catalogFilter?:
    | Record<string, string | string[]>
    | Array<Record<string, string | string[]>>;
};

type Option = EntityTitlePickerValue & {
  /** Shown under the title when another option has the same title. */
  detail?: string;
};

function catalogFilterOf(options: EntityTitlePickerUiOptions | undefined) {
  const filter = options?.catalogFilter;
  if (!filter) return undefined;
  return Array.isArray(filter) ? filter : [filter];
}

/** The kinds a catalogFilter allows, lower-cased; empty when any kind may be chosen. */
function allowedKinds(options: EntityTitlePickerUiOptions | undefined) {
  const filters = catalogFilterOf(options) ?? [];
  const kinds = filters.map(filter => {
    const key = Object.keys(filter).find(k => k.toLowerCase() === 'kind');
    return key ? [filter[key]].flat() : undefined;
  });
  // One filter without a kind lets any kind through.
  if (!kinds.length || kinds.some(k => k === undefined)) return [];
  return kinds.flat().map(k => String(k));
}

const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.profile.displayName',
];

/**
 * A catalog entity picker that speaks in titles: the options, the chosen
 * value and the review show "Sales" or "Payments Service", while the value
 * keeps the reference the template's steps need (`{ title, ref }`).
 */
export function EntityTitlePicker(
  props: FieldExtensionComponentProps<
    EntityTitlePickerValue | string | undefined,
    EntityTitlePickerUiOptions
  >,
) {
  const {
    onChange,
    schema: { title = 'Entity', description },
    uiSchema,
    required,
    rawErrors,
    formData,
    idSchema,
    disabled,
    errors,
  } = props;
  const catalogApi = useApi(catalogApiRef);
  const presentationApi = useApiHolder().get(entityPresentationApiRef);
  const uiOptions = uiSchema?.['ui:options'];
  const filterKey = JSON.stringify(catalogFilterOf(uiOptions) ?? null);

  const [options, setOptions] = useState<Option[]>();
  const [loadError, setLoadError] = useState<Error>();
  useEffect(() => {
    let cancelled = false;
    const filter = JSON.parse(filterKey) ?? undefined;
    catalogApi
      .getEntities({ filter, fields: FIELDS })
      .then(({ items }) => {
        const loaded = items.map((entity: Entity) => ({
          ref: stringifyEntityRef(entity),
          title: entityPresentationSnapshot(entity, undefined, presentationApi)
            .primaryTitle,
        }));
        // Two entities may share a title; their references tell them apart.
        const counts = new Map<string, number>();
        loaded.forEach(o =>
          counts.set(o.title, (counts.get(o.title) ?? 0) + 1),
        );
        const result: Option[] = loaded
          .map(o => ({
            ...o,
            ...(counts.get(o.title)! > 1 && { detail: o.ref }),
          }))
          .sort(
            (a, b) =>
              a.title.localeCompare(b.title) || a.ref.localeCompare(b.ref),
          );
        if (!cancelled) {
          setOptions(result);
          setLoadError(undefined);
        }
      })
      .catch(error => {
        if (!cancelled) setLoadError(error);
      });
    return () => {
      cancelled = true;
    };
  }, [catalogApi, presentationApi, filterKey]);

  const ref = refOf(formData);
  const key = ref && fullRef(ref);
  const chosen = useMemo(
    () => options?.find(o => fullRef(o.ref) === key),
    [options, key],
  );

  // A reference that arrived as text (a URL, the REST API, the stock
  // EntityPicker) or with an outdated title is stored with today's title.
  useEffect(() => {
    if (
      chosen &&
      (typeof formData !== 'object' ||
        formData.title !== chosen.title ||
        formData.ref !== chosen.ref)
    ) {
      onChange({ title: chosen.title, ref: chosen.ref });
    }
  }, [chosen, formData, onChange]);

  // Until the options are there, the stored title stands in for the option.
  const value: Option | null =
    chosen ??
    (ref
      ? {
          ref,
          title:
            typeof formData === 'object' && formData.title
              ? formData.title
              : ref,
        }
      : null);
  const shown = value && !chosen ? [value, ...(options ?? [])] : options ?? [];

  return (
    <ScaffolderField
      rawErrors={rawErrors}
      rawDescription={uiSchema?.['ui:description'] ?? description}
      required={required}
      disabled={disabled}
      errors={errors}
    >
      <Autocomplete<Option>
        id={idSchema?.$id}
        options={shown}
        value={value}
        loading={!options && !loadError}
        disabled={disabled}
        getOptionLabel={option => option.title}
        getOptionSelected={(option, selected) => option.ref === selected.ref}
        onChange={(_event, option) =>
          onChange(
            option ? { title: option.title, ref: option.ref } : undefined,
          )
        }
        renderOption={option => (
          <PickerOption label={option.title} detail={option.detail} />
        )}
        renderInput={params => (
          <TextField
            {...params}
            label={title}
            margin="dense"
            variant="outlined"
            required={required}
            disabled={disabled}
            error={!!rawErrors?.length || !!loadError}
            helperText={
              loadError
                ? `The catalog could not list the choices: ${loadError.message}`
                : undefined
            }
          />
        )}
      />
    </ScaffolderField>
  );
}

/**
 * Checks that the value names an entity of a kind the field offers. Inside an
 * array the scaffolder hands over the whole array, with the items' uiSchema.
 */
export const validateEntityTitlePicker: CustomFieldValidator<
  EntityTitlePickerValue | string | undefined,
  EntityTitlePickerUiOptions
> = (value, validation, context) => {
  // Typed as the field's value, but an array of items inside arrays.
  const data: unknown = value;
  for (const { value: entry, options, name } of pickerValues(
    data,
    context,
    ENTITY_TITLE_PICKER,
    'Entity',
  )) {
    if (entry === undefined || entry === null || entry === '') continue;
    const ref = refOf(entry);
    const full = ref && fullRef(ref);
    if (!full) {
      validation.addError(
        `${name()}: choose an entry from the list; "${
          ref ?? JSON.stringify(entry)
        }" is not a catalog entity.`,
      );
      continue;
    }
    const kinds = allowedKinds(options);
    const kind = full.slice(0, full.indexOf(':'));
    if (
      kinds.length &&
      !kinds.some(k => k.toLocaleLowerCase('en-US') === kind)
    ) {
      validation.addError(
        `${name()}: choose an entry from the list; ${ref} is not a ${kinds.join(
          ', ',
        )}.`,
      );
    }
  }
};
