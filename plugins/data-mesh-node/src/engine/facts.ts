import {
  type CompoundEntityRef,
  type Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  type DataProductEntity,
  type DataProductRefs,
  type InputPort,
  type OutputPort,
  type SchemaField,
  parseDataProductRefs,
  readEntityRef,
} from '@quanta/plugin-data-mesh-common';
import { type IndexedProduct, indexedProduct } from './indexedProducts';
import type { IndexedEntity, MeshIndex } from './types';

/**
 * Lower-cases a reference or a keyword. Same result as
 * `toLocaleLowerCase('en-US')` (English has no special casing rules) without
 * the locale handling, at hundreds of thousands of calls per evaluation.
 */
export function lowerRef(ref: string): string {
  return ref.toLowerCase();
}

/** `isDataProductEntity`, for the index's pass over every entity. */
export function isDataProduct(entity: Entity): entity is DataProductEntity {
  const kind = entity.kind;
  return kind === 'DataProduct' || lowerRef(kind) === 'dataproduct';
}

/** A trimmed, non-empty string, or undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed ? trimmed : undefined;
}

export type PortOf<T> = { port: T; index: number; name: string };

export type OutputPortFacts = PortOf<OutputPort> & {
  /** The fields of the inline schema that are objects. */
  fields: SchemaField[];
  /** The trimmed address, if any. */
  address?: string;
};

export type InputPortFacts = PortOf<InputPort> & {
  /**
   * The upstream data product as the catalog reads the reference, as text,
   * e.g. `dataproduct:default/orders`; undefined when it names none.
   */
  dataProductRef?: string;
  /** The source (component, API or resource) read, likewise. */
  sourceRef?: string;
};

/**
 * What the policies read about a product, worked out once per evaluation of
 * it: its references as text, its ports and their fields. Without it each of
 * the dozens of policies would parse, stringify and filter the same things
 * again.
 */
export type PreparedProduct = {
  entity: DataProductEntity;
  /** Lower-case `dataproduct:<namespace>/<name>`, as the mesh index keys it. */
  ref: string;
  /** The parsed references, made when first asked for (see `refsOf`). */
  refs?: DataProductRefs;
  /** The parsed references as text, e.g. `group:default/sales-data`. */
  owner?: string;
  productOwner?: string;
  domain?: string;
  outputPorts: OutputPortFacts[];
  inputPorts: InputPortFacts[];
  /** The mesh the product is evaluated against, while it is. */
  mesh?: MeshIndex;
  /** What that mesh's index worked out about the product, if it holds it. */
  indexed?: IndexedProduct;
  /** What each input port reads, looked up on first use; null when absent. */
  inputEntities?: Array<Entity | null | undefined>;
  /**
   * The entities the owner, product owner and domain name in `mesh`, looked
   * up on first use; null when absent.
   */
  ownerEntity?: IndexedEntity | null;
  productOwnerEntity?: IndexedEntity | null;
  domainEntity?: IndexedEntity | null;
  /** Whether any schema field is marked `pii: true`. */
  hasPiiFields: boolean;
};

const NO_ITEMS = Object.freeze([]) as unknown as never[];

const nameOf = (port: { name?: unknown }, index: number) =>
  text(port.name) ?? `#${index + 1}`;

/** The objects among the fields of an inline schema, without a copy when all are. */
function fieldsOf(schema: unknown): SchemaField[] {
  if (!Array.isArray(schema)) return NO_ITEMS;
  for (const field of schema) {
    if (!field || typeof field !== 'object') {
      return schema.filter(f => f && typeof f === 'object');
    }
  }
  return schema;
}

const OWNER_KINDS = ['group'];
const PRODUCT_OWNER_KINDS = ['user'];
const DOMAIN_KINDS = ['domain'];
const SYSTEM_KINDS = ['system'];
const DATA_PRODUCT_KINDS = ['dataproduct'];
const SOURCE_KINDS = ['component', 'api', 'resource'];

/**
 * A full reference in lower case whose namespace and name follow the
 * catalog's rules (DNS label; letters, digits and `-_.` starting and ending
 * with a letter or digit), the only spelling the shortcut below reads.
 */
const FULL_LOWER_CASE_REF =
  /^[a-z][a-z0-9]*:[a-z0-9]+(?:-+[a-z0-9]+)*\/(?:[a-z0-9][-a-z0-9_.]*)?[a-z0-9]$/;

/**
 * Reads a reference written in full and in lower case (`group:default/sales`)
 * as `parseDataProductRefs` does: its kind, or undefined for another kind or
 * a value that is not a string. Returns false for any other spelling, and for
 * namespaces or names the catalog does not allow, which are left to the
 * general parser. Catalogs mostly hold full references, and the general
 * parser costs more than the rest of a product's evaluation.
 */
function fullRefKind(
  value: unknown,
  kinds: string[],
): string | undefined | false {
  if (typeof value !== 'string') return undefined;
  if (!FULL_LOWER_CASE_REF.test(value)) return false;
  const colon = value.indexOf(':');
  const slash = value.indexOf('/');
  // Each part at most 63 characters.
  if (slash - colon > 64 || value.length - slash > 64) return false;
  for (const kind of kinds) {
    if (colon === kind.length && value.startsWith(kind)) return kind;
  }
  return undefined;
}

/** `fullRefKind`, with the reference read into its parts. */
function fullRef(
  value: unknown,
  kinds: string[],
): CompoundEntityRef | undefined | false {
  const kind = fullRefKind(value, kinds);
  if (kind === undefined || kind === false) return kind;
  const written = value as string;
  const slash = written.indexOf('/');
  return {
    kind,
    namespace: written.slice(kind.length + 1, slash),
    name: written.slice(slash + 1),
  };
}

/**
 * `parseDataProductRefs(product).refs` when every reference is written in
 * full and in lower case, or undefined.
 */
export function readFullRefs(
  product: DataProductEntity,
): DataProductRefs | undefined {
  const spec: any = product.spec ?? {};
  const owner = fullRef(spec.owner, OWNER_KINDS);
  const productOwner = fullRef(spec.productOwner, PRODUCT_OWNER_KINDS);
  const domain = fullRef(spec.domain, DOMAIN_KINDS);
  const system = fullRef(spec.system, SYSTEM_KINDS);
  if (
    owner === false ||
    productOwner === false ||
    domain === false ||
    system === false
  ) {
    return undefined;
  }
  const refs: DataProductRefs = {
    owner,
    productOwner,
    domain,
    system,
    inputPorts: [],
  };
  if (Array.isArray(spec.inputPorts)) {
    for (const port of spec.inputPorts) {
      if (!port || typeof port !== 'object') {
        refs.inputPorts.push({});
        continue;
      }
      const dataProduct = fullRef(port.dataProduct, DATA_PRODUCT_KINDS);
      const source = fullRef(port.source, SOURCE_KINDS);
      if (dataProduct === false || source === false) return undefined;
      refs.inputPorts.push({ dataProduct, source });
    }
  }
  return refs;
}

/**
 * A reference as `parseDataProductRefs` reads it, as the text
 * `stringifyEntityRef` gives, or undefined when it names nothing of `kinds`.
 */
function writtenRef(
  value: unknown,
  kinds: string[],
  namespace: string,
): string | undefined {
  const kind = fullRefKind(value, kinds);
  // A reference written in full and in lower case is its own text.
  if (kind !== false) return kind && (value as string);
  if (typeof value !== 'string') return undefined;
  // The same reader as parseDataProductRefs, so that a reference the
  // validator rejects (an invisible character, a second '/') names nothing.
  const read = readEntityRef(value, {
    defaultKind: kinds[0],
    defaultNamespace: namespace,
  });
  if (!('ref' in read)) return undefined;
  return kinds.includes(lowerRef(read.ref.kind))
    ? stringifyEntityRef(read.ref)
    : undefined;
}

/** Works out what the policies read about a product. */
export function prepareProduct(
  product: DataProductEntity,
  mesh?: MeshIndex,
): PreparedProduct {
  const indexed = mesh && indexedProduct(mesh, product);
  const spec: Partial<DataProductEntity['spec']> = product.spec ?? {};
  const namespace = product.metadata?.namespace ?? 'default';

  // Lists are made at their final size: growing them by push reserves room
  // for a dozen entries, which adds up over a mesh.
  let outputPorts: OutputPortFacts[] = NO_ITEMS;
  let hasPiiFields = false;
  if (Array.isArray(spec.outputPorts)) {
    const ports: unknown[] = spec.outputPorts;
    outputPorts = new Array(ports.length);
    let count = 0;
    for (let index = 0; index < ports.length; index++) {
      const port = ports[index] as OutputPort;
      if (!port || typeof port !== 'object') continue;
      const fields = fieldsOf(port.schema);
      for (const field of fields) {
        if (field.pii === true) hasPiiFields = true;
      }
      outputPorts[count++] = {
        port,
        index,
        name: nameOf(port, index),
        fields,
        address: text(port.address),
      };
    }
    outputPorts.length = count;
  }

  let inputPorts: InputPortFacts[] = NO_ITEMS;
  if (Array.isArray(spec.inputPorts)) {
    const ports: unknown[] = spec.inputPorts;
    inputPorts = new Array(ports.length);
    let count = 0;
    for (let index = 0; index < ports.length; index++) {
      const port = ports[index] as InputPort;
      if (!port || typeof port !== 'object') continue;
      const dataProductRef = writtenRef(
        port.dataProduct,
        DATA_PRODUCT_KINDS,
        namespace,
      );
      inputPorts[count++] = {
        port,
        index,
        name: nameOf(port, index),
        dataProductRef,
        sourceRef: writtenRef(port.source, SOURCE_KINDS, namespace),
      };
    }
    inputPorts.length = count;
  }

  return {
    entity: product,
    mesh,
    indexed,
    ownerEntity: undefined,
    productOwnerEntity: undefined,
    domainEntity: undefined,
    ref: indexed?.ref ?? lowerRef(stringifyEntityRef(product)),
    owner: writtenRef(spec.owner, OWNER_KINDS, namespace),
    productOwner: writtenRef(spec.productOwner, PRODUCT_OWNER_KINDS, namespace),
    domain: writtenRef(spec.domain, DOMAIN_KINDS, namespace),
    outputPorts,
    inputPorts,
    hasPiiFields,
  };
}

/** The parsed references of a prepared product. */
export function refsOf(prepared: PreparedProduct): DataProductRefs {
  prepared.refs ??=
    readFullRefs(prepared.entity) ?? parseDataProductRefs(prepared.entity).refs;
  return prepared.refs;
}

/**
 * The catalog entity the input port at `position` of `inputPorts` reads (its
 * upstream product or source), looked up once for all the policies asking.
 */
export function inputEntity(
  prepared: PreparedProduct,
  mesh: MeshIndex,
  position: number,
): Entity | undefined {
  const port = prepared.inputPorts[position];
  if (prepared.indexed && prepared.mesh === mesh) {
    const { inputs, inputsFrom } = prepared.indexed;
    return inputs[inputsFrom + port.index] ?? undefined;
  }
  if (prepared.mesh !== mesh || !prepared.inputEntities) {
    // Not evaluated against this mesh: looked up here, once per port.
    releaseMesh(prepared);
    prepared.mesh = mesh;
    prepared.inputEntities = new Array(prepared.inputPorts.length);
  }
  let entity = prepared.inputEntities[position];
  if (entity === undefined) {
    const ref = port.dataProductRef ?? port.sourceRef;
    entity = (ref && mesh.get(ref)?.entity) || null;
    prepared.inputEntities[position] = entity;
  }
  return entity ?? undefined;
}

const lookUp = (mesh: MeshIndex, ref: string) => mesh.get(ref) ?? null;

/**
 * The catalog entity the owner, product owner or domain of a prepared product
 * names, looked up once for all the policies asking.
 */
export function referencedEntity(
  prepared: PreparedProduct,
  mesh: MeshIndex,
  field: 'owner' | 'productOwner' | 'domain',
): IndexedEntity | undefined {
  const ref = prepared[field];
  if (!ref) return undefined;
  if (prepared.mesh !== mesh) return mesh.get(ref);
  // One branch per field keeps each property access monomorphic.
  let found: IndexedEntity | null | undefined;
  if (field === 'owner') {
    found = prepared.ownerEntity;
    if (found === undefined) found = prepared.ownerEntity = lookUp(mesh, ref);
  } else if (field === 'productOwner') {
    found = prepared.productOwnerEntity;
    if (found === undefined) {
      found = prepared.productOwnerEntity = lookUp(mesh, ref);
    }
  } else {
    found = prepared.domainEntity;
    if (found === undefined) found = prepared.domainEntity = lookUp(mesh, ref);
  }
  return found ?? undefined;
}

/**
 * The upstream data product the input port at `position` reads, unless an
 * earlier port reads it too: going through the ports with it visits every
 * upstream once, in the order of the ports.
 */
export function firstUpstreamAt(
  prepared: PreparedProduct,
  position: number,
): string | undefined {
  const ports = prepared.inputPorts;
  const ref = ports[position].dataProductRef;
  if (!ref) return undefined;
  for (let i = 0; i < position; i++) {
    if (ports[i].dataProductRef === ref) return undefined;
  }
  return ref;
}

/** Refs of the data products that read from this one. */
export function consumersOf(
  prepared: PreparedProduct,
  mesh: MeshIndex,
): string[] {
  return prepared.indexed && prepared.mesh === mesh
    ? prepared.indexed.consumers
    : mesh.consumersOf(prepared.ref);
}

/** `port.field` for every schema field marked `pii: true`. */
export function piiFieldsOf(prepared: PreparedProduct): string[] {
  const fields: string[] = [];
  if (!prepared.hasPiiFields) return fields;
  for (const { fields: portFields, name } of prepared.outputPorts) {
    for (const field of portFields) {
      if (field.pii === true) fields.push(`${name}.${field.name}`);
    }
  }
  return fields;
}

// The engine runs every policy of one product in a row, so the product asked
// for is nearly always the last one. Only that one is kept: facts of every
// product held for a whole evaluation would cost the garbage collector more
// than preparing them takes.
let last: PreparedProduct | undefined;

/**
 * The prepared facts of a product, made once for the run of its policies.
 * Entities under evaluation are catalog snapshots that nothing mutates.
 */
export function preparedProduct(
  product: DataProductEntity,
  mesh?: MeshIndex,
): PreparedProduct {
  if (last?.entity !== product || (mesh && last.mesh !== mesh)) {
    last = prepareProduct(product, mesh);
  }
  return last;
}

/**
 * Lets go of the mesh a prepared product looked entities up in, so that the
 * product kept for the next call does not keep a whole mesh alive.
 */
export function releaseMesh(prepared: PreparedProduct): void {
  prepared.mesh = undefined;
  prepared.indexed = undefined;
  prepared.inputEntities = undefined;
  prepared.ownerEntity = undefined;
  prepared.productOwnerEntity = undefined;
  prepared.domainEntity = undefined;
}

/** The product prepared last, if it is this one. */
export function lastPrepared(product: Entity): PreparedProduct | undefined {
  return last?.entity === product ? last : undefined;
}

/** `writtenRef` in lower case, as the mesh index keys entities. */
function refText(
  value: unknown,
  kinds: string[],
  namespace: string,
): string | undefined {
  // writtenRef returns a full lower-case reference as it is, and lower-casing
  // that again costs a scan that finds nothing to change.
  const written = writtenRef(value, kinds, namespace);
  return written && lowerRef(written);
}

/** The upstream data product an input port reads, as lower-case text. */
export function upstreamRefOf(
  port: unknown,
  namespace: string,
): string | undefined {
  if (!port || typeof port !== 'object') return undefined;
  return refText(
    (port as InputPort).dataProduct,
    DATA_PRODUCT_KINDS,
    namespace,
  );
}

/** The source (component, API or resource) an input port reads, as lower-case text. */
export function sourceRefOf(
  port: unknown,
  namespace: string,
): string | undefined {
  if (!port || typeof port !== 'object') return undefined;
  return refText((port as InputPort).source, SOURCE_KINDS, namespace);
}
