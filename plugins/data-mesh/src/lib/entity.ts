import {
  ANNOTATION_SOURCE_LOCATION,
  CompoundEntityRef,
  DEFAULT_NAMESPACE,
  Entity,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_DATA_PRODUCT_ADDRESS,
  RELATION_HAS_PRODUCT_OWNER,
  dataProductAddress,
  entityRefKey,
  parseDataProductRefs,
} from '@quanta/plugin-data-mesh-common';

/**
 * The global address of a data product: the `quanta.dev/address` annotation
 * stamped by the catalog module, or the address derived from its identity.
 */
export function getDataProductAddress(entity: Entity): string {
  return (
    entity.metadata.annotations?.[ANNOTATION_DATA_PRODUCT_ADDRESS] ||
    dataProductAddress(entity)
  );
}

/**
 * Parses a possibly short entity reference from a descriptor (`sales-data`,
 * `group:sales-data`, `group:default/sales-data`), filling in the kind and the
 * namespace. Returns `undefined` for values that are not references.
 */
export function parseRef(
  value: unknown,
  defaultKind: string,
  defaultNamespace: string = DEFAULT_NAMESPACE,
): CompoundEntityRef | undefined {
  if (typeof value !== 'string' || !value.trim()) {
    return undefined;
  }
  try {
    return parseEntityRef(value.trim(), { defaultKind, defaultNamespace });
  } catch {
    return undefined;
  }
}

/** Lower-case, fully qualified form of a reference, for comparisons. */
export function normalizeRef(
  value: unknown,
  defaultKind: string,
  defaultNamespace?: string,
): string | undefined {
  const ref = parseRef(value, defaultKind, defaultNamespace);
  return ref ? entityRefKey(ref) : undefined;
}

/**
 * The target of the first relation of a type (optionally only targets of one
 * kind), falling back to the reference parsed from the spec, for entities the
 * catalog has not stitched yet.
 */
export function relationOrSpecRef(
  entity: Entity,
  options: {
    relation: string;
    /** Only consider relation targets of this kind. */
    targetKind?: string;
    specRef: CompoundEntityRef | undefined;
  },
): CompoundEntityRef | undefined {
  const targetKind = options.targetKind?.toLocaleLowerCase('en-US');
  for (const relation of entity.relations ?? []) {
    if (relation.type !== options.relation) {
      continue;
    }
    // Stitched relation targets are always full references.
    const target = parseRef(relation.targetRef, targetKind ?? 'component');
    if (
      target &&
      (!targetKind || target.kind.toLocaleLowerCase('en-US') === targetKind)
    ) {
      return target;
    }
  }
  return options.specRef;
}

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;

function asWebUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:'
      ? url.toString()
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where a contract can be opened in the browser. Absolute http(s) URLs are used
 * as they are; relative locations are resolved against the entity's
 * `backstage.io/source-location` annotation when it is a `url:` location.
 * Returns `undefined` when the contract can only be shown as text.
 */
export function resolveContractUrl(
  entity: Entity,
  location: string,
): string | undefined {
  const trimmed = location.trim();
  if (!trimmed) {
    return undefined;
  }
  if (ABSOLUTE_URL.test(trimmed)) {
    return asWebUrl(trimmed);
  }
  const source = entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
  if (!source?.startsWith('url:')) {
    return undefined;
  }
  const base = source.slice('url:'.length);
  try {
    return asWebUrl(new URL(trimmed, base).toString());
  } catch {
    return undefined;
  }
}

/**
 * Who owns a data product and where it belongs: its owner team, product
 * owner, domain and system, from the catalog's relations, or, before the
 * catalog has stitched them, from the spec as the catalog module reads it.
 */
export function dataProductParties(entity: Entity): {
  owner?: CompoundEntityRef;
  productOwner?: CompoundEntityRef;
  domain?: CompoundEntityRef;
  system?: CompoundEntityRef;
} {
  const { refs } = parseDataProductRefs(entity);
  return {
    owner: relationOrSpecRef(entity, {
      relation: RELATION_OWNED_BY,
      specRef: refs.owner,
    }),
    productOwner: relationOrSpecRef(entity, {
      relation: RELATION_HAS_PRODUCT_OWNER,
      specRef: refs.productOwner,
    }),
    domain: relationOrSpecRef(entity, {
      relation: RELATION_PART_OF,
      targetKind: 'domain',
      specRef: refs.domain,
    }),
    system: relationOrSpecRef(entity, {
      relation: RELATION_PART_OF,
      targetKind: 'system',
      specRef: refs.system,
    }),
  };
}
