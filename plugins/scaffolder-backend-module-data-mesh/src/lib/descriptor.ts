import {
  parseEntityRef,
  stringifyEntityRef,
  DEFAULT_NAMESPACE,
} from '@backstage/catalog-model';
import {
  ANNOTATION_SOURCE_TEMPLATE,
  ANNOTATION_TEMPLATE_VERSION,
  CLASSIFICATIONS,
  DATA_PRODUCT_API_VERSION,
  DATA_PRODUCT_KIND,
  DATA_PRODUCT_LIFECYCLES,
  DATA_PRODUCT_TYPES,
  OUTPUT_PORT_TYPES,
  type DataProductEntity,
  type DataProductSlos,
  type InputPort,
  type OutputPort,
  type OutputPortType,
  type SchemaField,
} from '@quanta/plugin-data-mesh-common';
import type { z } from 'zod/v3';

type Z = typeof z;

export const ANNOTATION_TECHDOCS_REF = 'backstage.io/techdocs-ref';

export const DEFAULT_CONTRACT_VERSION = '1.0.0';
export const DEFAULT_CONTRACT_DIRECTORY = 'contracts';

/** One field of an output port, as the form collects it. */
export const fieldInput = (z: Z) =>
  z.object({
    name: z.string().describe('Field (column) name'),
    type: z
      .string()
      .describe(
        'Data type, such as string, integer, timestamp or decimal(10,2)',
      ),
    description: z.string().optional(),
    pii: z
      .boolean()
      .optional()
      .describe('True when the field holds personal data'),
    classification: z.enum(CLASSIFICATIONS).optional(),
  });

export const outputPortInput = (z: Z) =>
  z.object({
    name: z.string().describe('Port name, unique within the product'),
    description: z.string().optional(),
    type: z.enum(OUTPUT_PORT_TYPES).describe('table, view, topic, file or api'),
    format: z.string().describe('Format such as iceberg, parquet, avro, json'),
    address: z
      .string()
      .describe('Where consumers read it, such as iceberg://lake/sales/orders'),
    fields: z
      .array(fieldInput(z))
      .optional()
      .describe('The fields (columns) the port serves'),
    contractVersion: z
      .string()
      .optional()
      .describe(
        `Version of the port's contract; ${DEFAULT_CONTRACT_VERSION} when omitted`,
      ),
  });

/**
 * An entity reference as a form field stores it: the reference itself, or the
 * `{ title, ref }` of the data mesh's EntityTitlePicker, whose title is only
 * for people.
 */
const entityRefInput = (z: Z) =>
  z.union([
    z.string(),
    z.object({ ref: z.string(), title: z.string().optional() }),
  ]);

export const inputPortInput = (z: Z) =>
  z.object({
    name: z
      .string()
      .optional()
      .describe('Port name; derived from what it reads when omitted'),
    description: z.string().optional(),
    dataProduct: entityRefInput(z)
      .optional()
      .describe(
        'Upstream DataProduct, such as dataproduct:default/orders or { ref: dataproduct:default/orders, title: Orders }',
      ),
    outputPort: z
      .string()
      .optional()
      .describe('The output port of the upstream product this port reads'),
    source: entityRefInput(z)
      .optional()
      .describe(
        'An operational source: a Component, API or Resource, as a reference or { ref, title }',
      ),
  });

export const slosInput = (z: Z) =>
  z.object({
    freshness: z.string().optional(),
    intervalOfChange: z.string().optional(),
    completeness: z.number().optional(),
    availability: z.number().optional(),
    timeliness: z.string().optional(),
  });

/**
 * The structured description of a new data product, as the form collects it:
 * one schema per input key, as createTemplateAction takes them.
 */
export const productInput = {
  name: (z: Z) =>
    z.string().describe('Entity name of the product, such as orders'),
  namespace: (z: Z) => z.string().optional(),
  title: (z: Z) => z.string().optional(),
  description: (z: Z) =>
    z.string().describe('What the product holds and what it is for'),
  type: (z: Z) => z.enum(DATA_PRODUCT_TYPES),
  lifecycle: (z: Z) =>
    z
      .enum(DATA_PRODUCT_LIFECYCLES)
      .optional()
      .describe('experimental when omitted'),
  owner: (z: Z) =>
    z.string().describe('Owning Group, such as group:default/sales-data'),
  productOwner: (z: Z) =>
    z
      .string()
      .optional()
      .describe('Accountable User, such as user:default/maria.silva'),
  domain: (z: Z) => z.string().describe('Domain, such as domain:default/sales'),
  system: (z: Z) => z.string().optional(),
  tags: (z: Z) => z.array(z.string()).optional(),
  inputPorts: (z: Z) => z.array(inputPortInput(z)).optional(),
  outputPorts: (z: Z) => z.array(outputPortInput(z)).min(1),
  slos: (z: Z) => slosInput(z).optional(),
  classification: (z: Z) => z.enum(CLASSIFICATIONS).optional(),
  containsPii: (z: Z) => z.boolean().optional(),
  retention: (z: Z) => z.string().optional(),
  regulations: (z: Z) => z.array(z.string()).optional(),
  template: (z: Z) =>
    z
      .object({
        ref: z.string().optional(),
        version: z.string().optional(),
      })
      .optional()
      .describe(
        'The template that creates the product; read from the running template when omitted',
      ),
  techdocs: (z: Z) =>
    z
      .boolean()
      .optional()
      .describe(
        'Adds the TechDocs annotation (docs in the repository); true when omitted',
      ),
  contractDirectory: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        `Folder of the contracts, relative to the descriptor; ${DEFAULT_CONTRACT_DIRECTORY} when omitted`,
      ),
};

/**
 * An entity reference as a form field stores it: the reference, or the
 * `{ title, ref }` the data mesh's EntityTitlePicker stores (the title is
 * only shown to people; the descriptor keeps the reference).
 *
 * @public
 */
export type ProductEntityRef = string | { ref: string; title?: string };

/**
 * An input port of a new data product, as the form collects it: it reads
 * either `outputPort` of the upstream `dataProduct`, or an operational
 * `source` (a Component, API or Resource).
 *
 * @public
 */
export type ProductInputPort = {
  /** Port name; derived from what it reads when omitted. */
  name?: string;
  description?: string;
  /** Upstream DataProduct, such as `dataproduct:default/orders`. */
  dataProduct?: ProductEntityRef;
  /** The output port of the upstream product this port reads. */
  outputPort?: string;
  /** An operational source: a Component, API or Resource. */
  source?: ProductEntityRef;
};

/**
 * An output port of a new data product, as the form collects it.
 *
 * @public
 */
export type ProductOutputPort = {
  /** Port name, unique within the product. */
  name: string;
  description?: string;
  type: OutputPortType;
  /** Format such as iceberg, parquet, avro or json. */
  format: string;
  /** Where consumers read it, such as `iceberg://lake/sales/orders`. */
  address: string;
  /** The fields (columns) the port serves. */
  fields?: SchemaField[];
  /** Version of the port's contract; `1.0.0` when omitted. */
  contractVersion?: string;
};

/**
 * The structured description of a new data product that
 * {@link buildDataProduct} turns into a descriptor: the input of the
 * `data-mesh:write:descriptor` action.
 *
 * @public
 */
export type ProductInput = {
  name: string;
  namespace?: string;
  title?: string;
  description: string;
  type: (typeof DATA_PRODUCT_TYPES)[number];
  lifecycle?: (typeof DATA_PRODUCT_LIFECYCLES)[number];
  owner: string;
  productOwner?: string;
  domain: string;
  system?: string;
  tags?: string[];
  inputPorts?: ProductInputPort[];
  outputPorts: ProductOutputPort[];
  slos?: DataProductSlos;
  classification?: (typeof CLASSIFICATIONS)[number];
  containsPii?: boolean;
  retention?: string;
  regulations?: string[];
  template?: { ref?: string; version?: string };
  techdocs?: boolean;
  contractDirectory?: string;
};

/**
 * What the running template says about itself (the action context's
 * `templateInfo`).
 *
 * @public
 */
export type TemplateInfoLike =
  | {
      entityRef?: string;
      entity?: {
        metadata?: {
          name?: string;
          namespace?: string;
          annotations?: Record<string, string>;
        };
      };
    }
  | undefined;

/** The reference in a {@link ProductEntityRef}, whichever form it takes. */
function refOf(value: ProductEntityRef | undefined | null): string | undefined {
  return typeof value === 'object' && value !== null
    ? value.ref
    : value ?? undefined;
}

/** Form fields left empty arrive as empty strings or are missing; both mean "not given". */
function given(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * A reference as the catalog writes it (`group:default/sales-data`). Short
 * forms take the kind the field implies. Anything that does not parse is kept
 * as typed, for the validation to report against the field.
 */
function normalizeRef(
  value: string,
  defaultKind: string,
  namespace: string,
): string {
  try {
    const ref = parseEntityRef(value, {
      defaultKind,
      defaultNamespace: namespace,
    });
    return stringifyEntityRef(ref);
  } catch {
    return value;
  }
}

const PORT_NAME_CHARS = /[^A-Za-z0-9._-]+/g;

/** A port name from free text: allowed characters only, at most 63 of them. */
function portName(raw: string): string {
  const cleaned = raw
    .replace(PORT_NAME_CHARS, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 63)
    .replace(/[._-]+$/, '');
  return cleaned || 'port';
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let i = 2; taken.has(candidate); i++) {
    const suffix = `-${i}`;
    candidate = `${name.slice(0, 63 - suffix.length)}${suffix}`;
  }
  taken.add(candidate);
  return candidate;
}

function inputPortsOf(
  ports: ProductInputPort[],
  namespace: string,
): InputPort[] {
  const taken = new Set(
    ports.map(p => given(p.name)).filter((n): n is string => Boolean(n)),
  );
  return ports.map(port => {
    const dataProduct = given(refOf(port.dataProduct));
    const source = given(refOf(port.source));
    const outputPort = given(port.outputPort);
    const result: InputPort = { name: given(port.name) ?? '' };
    if (!result.name) {
      // Named after what it reads: `orders-orders-table`, `orders-db`.
      const read = dataProduct
        ? `${refName(dataProduct)}-${outputPort ?? 'data'}`
        : refName(source ?? 'input');
      result.name = uniqueName(portName(read), taken);
    }
    const description = given(port.description);
    if (description) result.description = description;
    if (dataProduct) {
      result.dataProduct = normalizeRef(dataProduct, 'dataproduct', namespace);
    }
    if (outputPort) result.outputPort = outputPort;
    if (source) result.source = normalizeRef(source, 'component', namespace);
    return result;
  });
}

function refName(ref: string): string {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return ref.slice(Math.max(slash, colon) + 1);
}

function schemaOf(
  fields: SchemaField[] | undefined,
): SchemaField[] | undefined {
  if (!fields?.length) return undefined;
  return fields.map(field => {
    const result: SchemaField = { name: field.name, type: field.type };
    const description = given(field.description);
    if (description) result.description = description;
    if (field.pii !== undefined) result.pii = field.pii;
    if (field.classification) result.classification = field.classification;
    return result;
  });
}

/** The contract file of a port, relative to the descriptor's folder. */
export function contractPath(contractDirectory: string, port: string): string {
  const folder = contractDirectory.replace(/^\.\/+/, '').replace(/\/+$/, '');
  return `${folder ? `${folder}/` : ''}${port}.odcs.yaml`;
}

function outputPortsOf(
  ports: ProductOutputPort[],
  contractDirectory: string,
): OutputPort[] {
  return ports.map(port => {
    const description = given(port.description);
    const schema = schemaOf(port.fields);
    const result: OutputPort = {
      name: port.name,
      ...(description && { description }),
      type: port.type,
      format: port.format,
      address: port.address,
      contract: {
        location: `./${contractPath(contractDirectory, port.name)}`,
        version: given(port.contractVersion) ?? DEFAULT_CONTRACT_VERSION,
      },
      ...(schema && { schema }),
    };
    return result;
  });
}

/** The template a product was created from: `template:<namespace>/<name>` and its version. */
export function templateOf(
  input: ProductInput['template'],
  templateInfo: TemplateInfoLike,
): { ref?: string; version?: string } {
  const metadata = templateInfo?.entity?.metadata;
  // The metadata names the real template even in a dry run, where the
  // scaffolder reports the entityRef as template:default/dry-run.
  const fromInfo = metadata?.name
    ? `template:${metadata.namespace ?? DEFAULT_NAMESPACE}/${metadata.name}`
    : templateInfo?.entityRef;
  return {
    ref: given(input?.ref) ?? fromInfo,
    version:
      given(input?.version) ??
      given(metadata?.annotations?.[ANNOTATION_TEMPLATE_VERSION]),
  };
}

/**
 * Builds the DataProduct descriptor from the form's structured values. Values
 * are copied as data: nothing in them is interpreted, so text such as
 * `${{ x }}` or `{% raw %}` reaches the descriptor exactly as typed.
 *
 * @public
 */
export function buildDataProduct(
  input: ProductInput,
  templateInfo?: TemplateInfoLike,
): DataProductEntity {
  const namespace = given(input.namespace) ?? DEFAULT_NAMESPACE;
  const template = templateOf(input.template, templateInfo);
  const annotations: Record<string, string> = {};
  if (template.ref) annotations[ANNOTATION_SOURCE_TEMPLATE] = template.ref;
  if (template.version) {
    annotations[ANNOTATION_TEMPLATE_VERSION] = template.version;
  }
  if (input.techdocs !== false) annotations[ANNOTATION_TECHDOCS_REF] = 'dir:.';

  const metadata: DataProductEntity['metadata'] = { name: input.name };
  if (namespace !== DEFAULT_NAMESPACE) metadata.namespace = namespace;
  const title = given(input.title);
  if (title) metadata.title = title;
  metadata.description = input.description;
  const tags = (input.tags ?? []).map(t => given(t)).filter(Boolean);
  if (tags.length) metadata.tags = tags as string[];
  if (Object.keys(annotations).length) metadata.annotations = annotations;

  const spec: DataProductEntity['spec'] = {
    type: input.type,
    lifecycle: input.lifecycle ?? 'experimental',
    owner: normalizeRef(input.owner, 'group', namespace),
    domain: normalizeRef(input.domain, 'domain', namespace),
    outputPorts: outputPortsOf(
      input.outputPorts,
      given(input.contractDirectory) ?? DEFAULT_CONTRACT_DIRECTORY,
    ),
  };
  const productOwner = given(input.productOwner);
  if (productOwner) {
    spec.productOwner = normalizeRef(productOwner, 'user', namespace);
  }
  const system = given(input.system);
  if (system) spec.system = normalizeRef(system, 'system', namespace);
  // Keep the key order readers expect: references, ports, then the promises.
  const ordered: DataProductEntity['spec'] = {
    type: spec.type,
    lifecycle: spec.lifecycle,
    owner: spec.owner,
    ...(spec.productOwner && { productOwner: spec.productOwner }),
    domain: spec.domain,
    ...(spec.system && { system: spec.system }),
    ...(input.inputPorts?.length && {
      inputPorts: inputPortsOf(input.inputPorts, namespace),
    }),
    outputPorts: spec.outputPorts,
  };
  const slos = slosOf(input.slos);
  if (slos) ordered.slos = slos;
  if (input.classification) ordered.classification = input.classification;
  if (input.containsPii !== undefined) ordered.containsPii = input.containsPii;
  const retention = given(input.retention);
  if (retention) ordered.retention = retention;
  const regulations = (input.regulations ?? [])
    .map(r => given(r))
    .filter(Boolean) as string[];
  if (regulations.length) ordered.regulations = [...new Set(regulations)];

  return {
    apiVersion: DATA_PRODUCT_API_VERSION,
    kind: DATA_PRODUCT_KIND,
    metadata,
    spec: ordered,
  };
}

function slosOf(
  slos: DataProductSlos | undefined,
): DataProductSlos | undefined {
  if (!slos) return undefined;
  const result: DataProductSlos = {};
  const freshness = given(slos.freshness);
  if (freshness) result.freshness = freshness;
  const intervalOfChange = given(slos.intervalOfChange);
  if (intervalOfChange) result.intervalOfChange = intervalOfChange;
  if (typeof slos.completeness === 'number') {
    result.completeness = slos.completeness;
  }
  if (typeof slos.availability === 'number') {
    result.availability = slos.availability;
  }
  const timeliness = given(slos.timeliness);
  if (timeliness) result.timeliness = timeliness;
  return Object.keys(result).length ? result : undefined;
}
