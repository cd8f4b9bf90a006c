import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  type DataProductEntity,
  type OutputPort,
  type SchemaField,
  dataProductAddress,
  parseDataProductRefs,
} from '@quanta/plugin-data-mesh-common';
import { slaValue } from './durations';

/**
 * The ODCS release contracts are written in: the current one, whose schema
 * knows timestamp and time types and a team with members.
 */
export const ODCS_API_VERSION = 'v3.1.0';

const STATUS_BY_LIFECYCLE: Record<string, string> = {
  experimental: 'draft',
  production: 'active',
  deprecated: 'deprecated',
  retired: 'retired',
};

const LOGICAL_TYPES: Array<[RegExp, string]> = [
  [/^(string|varchar|char|text|uuid|nvarchar|character)/i, 'string'],
  [/^(int|integer|bigint|smallint|tinyint|long|short)\b/i, 'integer'],
  [/^(decimal|numeric|number|float|double|real|bignumeric)/i, 'number'],
  [/^(bool|boolean)$/i, 'boolean'],
  [/^(timestamp|datetime)/i, 'timestamp'],
  [/^time\b/i, 'time'],
  [/^date\b/i, 'date'],
  [/^(array|list)/i, 'array'],
  [/^(struct|map|object|record|json|variant)/i, 'object'],
];

/** The ODCS logical type of a physical type, when there is a clear one. */
export function logicalTypeOf(physicalType: string): string | undefined {
  return LOGICAL_TYPES.find(([pattern]) =>
    pattern.test(physicalType.trim()),
  )?.[1];
}

/** A port name as an identifier of the schema object: `orders-table` is `orders_table`. */
export function objectName(port: string): string {
  return port.replace(/[^A-Za-z0-9_]/g, '_');
}

function propertyOf(
  field: SchemaField,
  productClassification: string | undefined,
): Record<string, unknown> {
  const property: Record<string, unknown> = { name: field.name };
  const logicalType = logicalTypeOf(field.type);
  if (logicalType) property.logicalType = logicalType;
  property.physicalType = field.type;
  if (field.description) property.description = field.description;
  const classification =
    field.classification ?? (field.pii ? productClassification : undefined);
  if (classification) property.classification = classification;
  if (field.pii) property.tags = ['pii'];
  return property;
}

function slaProperties(product: DataProductEntity) {
  const slos = product.spec.slos ?? {};
  const result: Array<Record<string, unknown>> = [];
  const duration = (property: string, value: string | undefined) => {
    const sla = value ? slaValue(value) : undefined;
    if (sla) result.push({ property, value: sla.value, unit: sla.unit });
  };
  // ODCS calls the maximum age of the data its latency.
  duration('latency', slos.freshness);
  duration('frequency', slos.intervalOfChange);
  duration('timeliness', slos.timeliness);
  if (typeof slos.completeness === 'number') {
    result.push({
      property: 'completeness',
      value: slos.completeness,
      unit: 'percent',
    });
  }
  if (typeof slos.availability === 'number') {
    result.push({
      property: 'availability',
      value: slos.availability,
      unit: 'percent',
    });
  }
  duration('retention', product.spec.retention);
  return result;
}

/**
 * The ODCS v3 contract of one output port: the port's fields as the schema,
 * the product's SLOs as SLA properties, its owners as the team, and the
 * catalog facts consumers look for as custom properties.
 *
 * @public
 */
export function buildContract(
  product: DataProductEntity,
  port: OutputPort,
  now: Date = new Date(),
): Record<string, unknown> {
  const { refs } = parseDataProductRefs(product);
  const spec = product.spec;
  const contract: Record<string, unknown> = {
    apiVersion: ODCS_API_VERSION,
    kind: 'DataContract',
    id: `${dataProductAddress(product)}/${port.name}`,
    name: `${product.metadata.title ?? product.metadata.name}: ${port.name}`,
    version: port.contract?.version ?? '1.0.0',
    status: STATUS_BY_LIFECYCLE[spec.lifecycle] ?? 'draft',
  };
  if (refs.domain) contract.domain = refs.domain.name;
  contract.dataProduct = product.metadata.name;
  const description: Record<string, string> = {
    purpose: port.description ?? product.metadata.description ?? '',
    usage: `Read the ${port.type} at ${port.address} (${port.format}).`,
  };
  if (!description.purpose) delete description.purpose;
  contract.description = description;
  if (product.metadata.tags?.length) contract.tags = product.metadata.tags;

  const schemaObject: Record<string, unknown> = {
    name: objectName(port.name),
    physicalType: port.type,
    logicalType: 'object',
  };
  if (port.description) schemaObject.description = port.description;
  schemaObject.properties = (port.schema ?? []).map(field =>
    propertyOf(field, spec.classification),
  );
  contract.schema = [schemaObject];

  const sla = slaProperties(product);
  if (sla.length) contract.slaProperties = sla;
  if (refs.productOwner) {
    const team: Record<string, unknown> = {
      members: [{ username: refs.productOwner.name, role: 'owner' }],
    };
    if (refs.owner) team.name = refs.owner.name;
    contract.team = team;
  }
  const custom: Array<{ property: string; value: unknown }> = [
    { property: 'dataProductRef', value: stringifyEntityRef(product) },
    { property: 'outputPort', value: port.name },
    { property: 'address', value: port.address },
    { property: 'format', value: port.format },
  ];
  if (refs.owner) {
    custom.push({ property: 'owner', value: stringifyEntityRef(refs.owner) });
  }
  if (spec.classification) {
    custom.push({ property: 'classification', value: spec.classification });
  }
  if (spec.containsPii !== undefined) {
    custom.push({ property: 'containsPii', value: spec.containsPii });
  }
  if (spec.regulations?.length) {
    custom.push({ property: 'regulations', value: spec.regulations });
  }
  contract.customProperties = custom;
  contract.contractCreatedTs = now.toISOString();
  return contract;
}
