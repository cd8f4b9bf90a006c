import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';

/**
 * The value {@link EntityTitlePickerFieldExtension} stores: the entity's
 * reference for the template's steps, and its title for people, so the
 * scaffolder's review step can show "Sales" rather than
 * `domain:default/sales`.
 *
 * @public
 */
export type EntityTitlePickerValue = {
  /** The entity's title as the catalog presents it, such as "Sales". */
  title: string;
  /** The full entity reference, such as `domain:default/sales`. */
  ref: string;
};

/**
 * The entity reference in a picker's value: the `ref` of an
 * {@link EntityTitlePickerValue}, or a plain reference string (values filled
 * in by the stock EntityPicker, a URL or the REST API).
 */
export function refOf(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value.trim() || undefined;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const ref = (value as { ref?: unknown }).ref;
    return typeof ref === 'string' && ref.trim() ? ref.trim() : undefined;
  }
  return undefined;
}

/** A reference in its full lower-case form, or undefined when it does not parse. */
export function fullRef(
  value: string,
  defaultKind?: string,
): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, defaultKind ? { defaultKind } : undefined),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/**
 * The object that holds a field in the form data, found from the field's RJSF
 * id (`root_upstreams_0_outputPort` for the `outputPort` of the first
 * upstream). Property names may contain the separator, so each step takes the
 * longest property name that matches.
 */
export function parentOfField(
  formData: JsonObject | undefined,
  fieldId: string,
  fieldName: string,
): JsonObject | undefined {
  const prefix = 'root';
  const suffix = `_${fieldName}`;
  if (!formData || !fieldId.startsWith(prefix) || !fieldId.endsWith(suffix)) {
    return undefined;
  }
  let rest = fieldId.slice(prefix.length, fieldId.length - suffix.length);
  let current: unknown = formData;
  while (rest) {
    if (!rest.startsWith('_') || !current || typeof current !== 'object') {
      return undefined;
    }
    rest = rest.slice(1);
    if (Array.isArray(current)) {
      const index = /^\d+/.exec(rest)?.[0];
      if (index === undefined) return undefined;
      current = current[Number(index)];
      rest = rest.slice(index.length);
    } else {
      const remaining = rest;
      const keys = Object.keys(current)
        .filter(key => remaining === key || remaining.startsWith(`${key}_`))
        .sort((a, b) => b.length - a.length);
      if (!keys.length) return undefined;
      current = (current as JsonObject)[keys[0]];
      rest = rest.slice(keys[0].length);
    }
  }
  return current && typeof current === 'object' && !Array.isArray(current)
    ? (current as JsonObject)
    : undefined;
}

/** The title of a field for messages: its schema title, else its key. */
export function fieldTitle(schema: unknown, key: string): string {
  const title = (schema as { title?: unknown } | undefined)?.title;
  return typeof title === 'string' && title ? title : key;
}

/** A value a picker's validator checks, and how to name it in a message. */
export type PickerValue = {
  value: unknown;
  /** The field's `ui:options`. */
  options: any;
  /** The object that holds the field, for the fields beside it. */
  siblings: Record<string, any> | undefined;
  /** The field's name in messages, or that of the field `key` beside it. */
  name(key?: string): string;
};

/**
 * The values of a picker field a validator checks: the field itself, or,
 * inside an array (the scaffolder then hands over the whole array, with the
 * items' schema and uiSchema), every item's fields that use the picker,
 * named with the item's number.
 */
export function pickerValues(
  data: unknown,
  context: { schema?: unknown; uiSchema?: unknown; formData?: any },
  field: string,
  fallbackTitle: string,
): PickerValue[] {
  const uiSchema = (context.uiSchema ?? {}) as Record<string, any>;
  if (uiSchema['ui:field'] === field) {
    return [
      {
        value: data,
        options: uiSchema['ui:options'],
        siblings: context.formData,
        name: key => key ?? fieldTitle(context.schema, fallbackTitle),
      },
    ];
  }
  if (!Array.isArray(data)) return [];
  const properties = (context.schema as any)?.properties ?? {};
  const keys = Object.keys(uiSchema).filter(
    k => uiSchema[k]?.['ui:field'] === field,
  );
  return data.flatMap((item, index) =>
    keys.map(k => ({
      value: item?.[k],
      options: uiSchema[k]['ui:options'],
      siblings: item,
      name: (key: string = k) =>
        `${fieldTitle(properties[key], key)} (${index + 1})`,
    })),
  );
}
