import type { Entity } from '@backstage/catalog-model';

/**
 * API group and version of the DataProduct kind.
 *
 * @public
 */
export const DATA_PRODUCT_API_VERSION = 'quanta.dev/v1alpha1';
/**
 * Kind name, as written in descriptors.
 *
 * @public
 */
export const DATA_PRODUCT_KIND = 'DataProduct';

/**
 * Annotation the catalog module stamps with the product's global address.
 *
 * @public
 */
export const ANNOTATION_DATA_PRODUCT_ADDRESS = 'quanta.dev/address';

/**
 * Annotation Backstage's scaffolder reads for the template an entity was
 * created from; adoption counts products that carry it.
 *
 * @public
 */
export const ANNOTATION_SOURCE_TEMPLATE = 'backstage.io/source-template';

/**
 * The version of that template, so that drift from newer versions shows.
 *
 * @public
 */
export const ANNOTATION_TEMPLATE_VERSION = 'quanta.dev/template-version';

/**
 * Relation from a data product to the User accountable for it.
 *
 * @public
 */
export const RELATION_HAS_PRODUCT_OWNER = 'hasProductOwner';
/**
 * Reverse of {@link RELATION_HAS_PRODUCT_OWNER}.
 *
 * @public
 */
export const RELATION_PRODUCT_OWNER_OF = 'productOwnerOf';

/**
 * The values `spec.type` of a data product takes.
 *
 * @public
 */
export const DATA_PRODUCT_TYPES = [
  'source-aligned',
  'aggregate',
  'consumer-aligned',
] as const;
/**
 * How a data product sits in the mesh: `source-aligned`, `aggregate` or
 * `consumer-aligned`.
 *
 * @public
 */
export type DataProductType = (typeof DATA_PRODUCT_TYPES)[number];

/**
 * The values `spec.lifecycle` of a data product takes.
 *
 * @public
 */
export const DATA_PRODUCT_LIFECYCLES = [
  'experimental',
  'production',
  'deprecated',
  'retired',
] as const;
/**
 * Lifecycle stage of a data product.
 *
 * @public
 */
export type DataProductLifecycle = (typeof DATA_PRODUCT_LIFECYCLES)[number];

/**
 * The values `type` of an output port takes.
 *
 * @public
 */
export const OUTPUT_PORT_TYPES = [
  'table',
  'view',
  'topic',
  'file',
  'api',
] as const;
/**
 * What an output port serves: a table, view, topic, file or API.
 *
 * @public
 */
export type OutputPortType = (typeof OUTPUT_PORT_TYPES)[number];

/**
 * Data classifications, from least to most sensitive.
 *
 * @public
 */
export const CLASSIFICATIONS = [
  'public',
  'internal',
  'confidential',
  'restricted',
] as const;
/**
 * Data classification of a product or a schema field.
 *
 * @public
 */
export type Classification = (typeof CLASSIFICATIONS)[number];

/**
 * An input port reads either an upstream data product's output port or an external source.
 *
 * @public
 */
export type InputPort = {
  name: string;
  description?: string;
  /** Entity ref of the upstream DataProduct, e.g. `dataproduct:sales/orders`. */
  dataProduct?: string;
  /** Output port of the upstream product that this port reads. */
  outputPort?: string;
  /** Entity ref of an external source: a Component, API or Resource. */
  source?: string;
};

/**
 * A reference to an Open Data Contract Standard (ODCS) document.
 *
 * @public
 */
export type ContractRef = {
  /** Path relative to the descriptor, or an absolute URL. */
  location: string;
  version: string;
};

/**
 * One field of an output port's schema.
 *
 * @public
 */
export type SchemaField = {
  name: string;
  type: string;
  description?: string;
  pii?: boolean;
  classification?: Classification;
};

/**
 * An output port: where and in which format consumers read a data product.
 *
 * @public
 */
export type OutputPort = {
  name: string;
  description?: string;
  type: OutputPortType;
  /** Serialization or table format, e.g. parquet, avro, json, iceberg, delta, csv. */
  format: string;
  /** Globally unique address where consumers read this port, e.g. `s3://lake/sales/orders/`. */
  address: string;
  contract?: ContractRef;
  schema?: SchemaField[];
};

/**
 * Service level objectives a data product promises its consumers.
 *
 * @public
 */
export type DataProductSlos = {
  /** Maximum age of the newest data, ISO-8601 duration. */
  freshness?: string;
  /** How often the data changes, ISO-8601 duration. */
  intervalOfChange?: string;
  /** Percentage of expected records present. */
  completeness?: number;
  /** Percentage of time the output ports are readable. */
  availability?: number;
  /** Maximum delay between an event happening and it being served, ISO-8601 duration. */
  timeliness?: string;
};

/**
 * An exemption from one policy, declared in the descriptor and reviewed like code.
 *
 * @public
 */
export type DataProductWaiver = {
  policy: string;
  reason: string;
  /** Date (or date-time) on which the waiver stops applying. */
  expires: string;
  /** Entity ref of the User who approved it. */
  approvedBy?: string;
};

/**
 * The `spec` of a DataProduct entity.
 *
 * @public
 */
export type DataProductSpec = {
  type: DataProductType;
  lifecycle: DataProductLifecycle;
  /** Entity ref of the owning Group. */
  owner: string;
  /** Entity ref of the accountable User. */
  productOwner?: string;
  /** Entity ref of the Domain. */
  domain: string;
  system?: string;
  inputPorts?: InputPort[];
  outputPorts: OutputPort[];
  slos?: DataProductSlos;
  classification?: Classification;
  containsPii?: boolean;
  /** How long data is kept, ISO-8601 duration. */
  retention?: string;
  regulations?: string[];
  waivers?: DataProductWaiver[];
};

/**
 * A catalog entity of kind DataProduct.
 *
 * @public
 */
export interface DataProductEntity extends Entity {
  /** Always {@link DATA_PRODUCT_API_VERSION}. */
  apiVersion: typeof DATA_PRODUCT_API_VERSION;
  /** Always {@link DATA_PRODUCT_KIND}. */
  kind: typeof DATA_PRODUCT_KIND;
  /** What the descriptor declares about the product. */
  spec: DataProductSpec;
}

/**
 * True for entities of kind DataProduct (any apiVersion spelling of the kind is case-insensitive).
 *
 * @public
 */
export function isDataProductEntity(
  entity: Entity,
): entity is DataProductEntity {
  return entity.kind.toLocaleLowerCase('en-US') === 'dataproduct';
}

/**
 * The stable global address of a data product: `dataproduct://<namespace>/<name>`.
 * It is derived from the entity's identity only, so it survives moves between
 * domains, owners and storage locations.
 *
 * @public
 */
export function dataProductAddress(entity: Pick<Entity, 'metadata'>): string {
  const namespace = entity.metadata.namespace ?? 'default';
  return `dataproduct://${namespace}/${entity.metadata.name}`;
}
