import { normalizeAddress } from '../shared/address';

/** One configured way from an OpenLineage dataset to an output port address. */
export type DatasetMappingRule = {
  /** Regular expression the dataset namespace must match; any when absent. */
  namespace?: RegExp;
  /** Regular expression the dataset name must match; any when absent. */
  name?: RegExp;
  /**
   * Address template: `{namespace}`, `{name}`, `{namePath}` (the name with
   * dots as slashes) and `{namespace.1}` or `{name.1}` for capture groups.
   */
  address: string;
};

/**
 * Tried after the configured rules unless `useDefaultMappings` is false.
 * They cover the OpenLineage naming of the common stores: `s3://bucket` +
 * `path`, `kafka://cluster` + `topic`, `snowflake://account` + `DB.SCHEMA.TABLE`
 * and `bigquery` + `project.dataset.table`.
 */
export const DEFAULT_MAPPINGS: DatasetMappingRule[] = [
  { address: '{namespace}/{name}' },
  { address: '{namespace}/{namePath}' },
  { namespace: /^[^:/]+$/, address: '{namespace}://{name}' },
  { namespace: /^[^:/]+$/, address: '{namespace}://{namePath}' },
  { name: /^[a-z][a-z0-9+.-]*:\/\//i, address: '{name}' },
];

function fill(
  template: string,
  namespace: string,
  name: string,
  groups: { namespace: RegExpMatchArray | null; name: RegExpMatchArray | null },
): string {
  return template.replace(
    /\{(namespace|name|namePath)(?:\.(\d))?\}/g,
    (_all, key: string, group: string | undefined) => {
      if (group !== undefined) {
        const match = key === 'namespace' ? groups.namespace : groups.name;
        return match?.[Number(group)] ?? '';
      }
      if (key === 'namespace') return namespace;
      if (key === 'name') return name;
      return name.replace(/\./g, '/');
    },
  );
}

/** The candidate addresses of a dataset, in the order the rules give them. */
export function candidateAddresses(
  rules: DatasetMappingRule[],
  namespace: string,
  name: string,
): string[] {
  const out: string[] = [];
  for (const rule of rules) {
    const namespaceMatch = rule.namespace
      ? namespace.match(rule.namespace)
      : null;
    if (rule.namespace && !namespaceMatch) continue;
    const nameMatch = rule.name ? name.match(rule.name) : null;
    if (rule.name && !nameMatch) continue;
    const address = normalizeAddress(
      fill(rule.address, namespace, name, {
        namespace: namespaceMatch,
        name: nameMatch,
      }),
    ).replace(/([^:/])\/{2,}/g, '$1/');
    if (address && !out.includes(address)) out.push(address);
  }
  return out;
}

/**
 * The configured rules (`dataMesh.lineage.mappings`, read by
 * readDataMeshConfig), then the defaults unless `useDefaultMappings` is false.
 */
export function mappingRules(lineage: {
  mappings: DatasetMappingRule[];
  useDefaultMappings: boolean;
}): DatasetMappingRule[] {
  return lineage.useDefaultMappings
    ? [...lineage.mappings, ...DEFAULT_MAPPINGS]
    : lineage.mappings;
}
