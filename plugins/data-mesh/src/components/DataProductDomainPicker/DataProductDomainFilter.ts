import {
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  DefaultEntityFilters,
  EntityFilter,
} from '@backstage/plugin-catalog-react';
import { normalizeRef } from '../../lib/entity';

/** The ways a descriptor may write a reference to a domain, lower-cased. */
function spellings(ref: string): string[] {
  const { namespace, name } = parseEntityRef(ref);
  // Short forms are relative to the namespace of the entity that writes them,
  // so they are fetched for any namespace; filterEntity resolves them exactly.
  return [
    `domain:${namespace}/${name}`,
    `${namespace}/${name}`,
    `domain:${name}`,
    name,
  ];
}

/**
 * Catalog list filter on `spec.domain`, the Domain a data product (or a System)
 * belongs to. Values are domain references; short ones (`sales`) mean
 * `domain:default/sales`.
 *
 * @public
 */
export class DataProductDomainFilter implements EntityFilter {
  /** The selected domains, as full lower-case references (`domain:default/sales`). */
  readonly values: string[];

  constructor(values: string[]) {
    const normalized = values
      .map(value => normalizeRef(value, 'domain'))
      .filter((value): value is string => !!value);
    this.values = Array.from(new Set(normalized));
  }

  /**
   * Asks the catalog for entities whose `spec.domain` is any spelling of the
   * selected domains: full refs, and the short forms relative to any namespace.
   */
  getCatalogFilters(): Record<string, string[]> {
    return {
      'spec.domain': Array.from(new Set(this.values.flatMap(spellings))),
    };
  }

  /** True when the entity's domain resolves to one of the selected domains. */
  filterEntity(entity: Entity): boolean {
    const domain = normalizeRef(
      entity.spec?.domain,
      'domain',
      entity.metadata.namespace ?? DEFAULT_NAMESPACE,
    );
    return !!domain && this.values.includes(domain);
  }

  /** The selected domains, for the page's query string. */
  toQueryValue(): string[] {
    return this.values;
  }
}

/**
 * The catalog list filters, with the data mesh's domain filter.
 *
 * @public
 */
export type DataMeshEntityFilters = DefaultEntityFilters & {
  domain?: DataProductDomainFilter;
};
