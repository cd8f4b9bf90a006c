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
  /**
   * Compare regardless of case; when absent, as the namespace's system does
   * (see {@link ignoresCase}).
   */
  ignoreCase?: boolean;
};

/**
 * Schemes of OpenLineage namespaces whose systems compare table names
 * regardless of case (unquoted SQL identifiers, Snowflake's upper case,
 * BigQuery's case-insensitive datasets): one tool's ANALYTICS.SALES.ORDERS
 * is another's analytics.sales.orders. Object stores, Kafka and files are
 * case-sensitive and stay so.
 */
export const CASE_INSENSITIVE_SCHEMES = [
  'snowflake',
  'bigquery',
  'postgres',
  'postgresql',
  'mysql',
  'mariadb',
  'redshift',
  'sqlserver',
  'mssql',
  'oracle',
  'trino',
  'presto',
  'hive',
  'databricks',
  'awsathena',
  'athena',
  'teradata',
  'db2',
  'duckdb',
  'clickhouse',
];

/** Whether names in a namespace compare regardless of case, by its scheme. */
export function ignoresCase(namespace: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*)(?::|$)/i.exec(namespace)?.[1];
  return (
    scheme !== undefined &&
    CASE_INSENSITIVE_SCHEMES.includes(scheme.toLowerCase())
  );
}

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
  return candidates(rules, namespace, name).map(c => c.address);
}

/** The candidates with how each compares: exactly, or regardless of case. */
export function candidates(
  rules: DatasetMappingRule[],
  namespace: string,
  name: string,
): Array<{ address: string; ignoreCase: boolean }> {
  const out: Array<{ address: string; ignoreCase: boolean }> = [];
  const bySystem = ignoresCase(namespace);
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
    if (address && !out.some(c => c.address === address)) {
      out.push({ address, ignoreCase: rule.ignoreCase ?? bySystem });
    }
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
