import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { CatalogApi } from '@backstage/plugin-catalog-react';
import type { FilterValueWithLabel } from '@backstage/plugin-search-react';
import type { DataMeshApi } from '../../api';
import { levelLabel } from '../../lib/governance';

/**
 * A facet of data product search results, named after the document field it
 * filters: `type`, `domain`, `owner`, `governanceLevel`, `classification`,
 * `lifecycle` or `containsPii`.
 *
 * @public
 */
export type DataProductSearchFacet =
  | 'type'
  | 'domain'
  | 'owner'
  | 'governanceLevel'
  | 'classification'
  | 'lifecycle'
  | 'containsPii';

/**
 * The facets of `data-product` search documents, in the order the search page
 * shows them. Each is a field of the document the search backend filters on.
 */
export const DATA_PRODUCT_FACETS: DataProductSearchFacet[] = [
  'type',
  'domain',
  'owner',
  'governanceLevel',
  'classification',
  'lifecycle',
  'containsPii',
];

/** How each facet is shown: its label, and a single choice or checkboxes. */
export const FACET_DISPLAY: Record<
  DataProductSearchFacet,
  { label: string; control: 'select' | 'checkbox' }
> = {
  type: { label: 'Type', control: 'select' },
  domain: { label: 'Domain', control: 'select' },
  owner: { label: 'Owner', control: 'select' },
  governanceLevel: { label: 'Governance level', control: 'select' },
  classification: { label: 'Classification', control: 'select' },
  // Checkboxes, as the search page's own lifecycle filter, with which it
  // shares the `lifecycle` field: both then keep a list of values. Named
  // apart from it, as it offers the products' lifecycles, not a fixed two.
  lifecycle: { label: 'Product lifecycle', control: 'checkbox' },
  containsPii: { label: 'Personal data', control: 'checkbox' },
};

/** The catalog field whose values each catalog-backed facet offers. */
const CATALOG_FIELDS: Partial<Record<DataProductSearchFacet, string>> = {
  type: 'spec.type',
  classification: 'spec.classification',
  lifecycle: 'spec.lifecycle',
  // The relations hold the references as the search documents do: resolved
  // against the product's namespace and in lower case.
  domain: 'relations.partOf',
  owner: 'relations.ownedBy',
};

const byLabel = (a: FilterValueWithLabel, b: FilterValueWithLabel) =>
  a.label.localeCompare(b.label, 'en') || a.value.localeCompare(b.value, 'en');

/** What a Group, User or Domain is called: display name, title or name, as in the search documents. */
function displayName(entity: Entity): string {
  const profile = (entity.spec as { profile?: { displayName?: unknown } })
    ?.profile;
  return (
    (typeof profile?.displayName === 'string' && profile.displayName) ||
    entity.metadata.title ||
    entity.metadata.name
  );
}

/** Labels entity references with the names of their entities; a reference the catalog does not resolve keeps its name part. */
async function labelRefs(
  catalogApi: CatalogApi,
  refs: string[],
): Promise<FilterValueWithLabel[]> {
  if (!refs.length) return [];
  const { items } = await catalogApi.getEntitiesByRefs({
    entityRefs: refs,
    fields: [
      'kind',
      'metadata.name',
      'metadata.namespace',
      'metadata.title',
      'spec.profile.displayName',
    ],
  });
  const values = refs.map((ref, index) => {
    const entity = items[index];
    return {
      value: ref,
      label: entity ? displayName(entity) : parseEntityRef(ref).name,
    };
  });
  // Two entities of the same name (in two namespaces) stay apart.
  const counts = new Map<string, number>();
  values.forEach(v => counts.set(v.label, (counts.get(v.label) ?? 0) + 1));
  return values
    .map(v =>
      counts.get(v.label)! > 1 ? { ...v, label: `${v.label} (${v.value})` } : v,
    )
    .sort(byLabel);
}

/**
 * The values a facet offers, read from the catalog's DataProducts (or, for
 * the level, the data-mesh backend's ladder). Empty when there are none to
 * offer, such as levels without the data-mesh backend.
 */
export async function loadFacetValues(
  facet: DataProductSearchFacet,
  apis: { catalogApi: CatalogApi; dataMeshApi?: DataMeshApi },
): Promise<FilterValueWithLabel[]> {
  if (facet === 'containsPii') {
    // The documents hold 'true', 'false' or '' (not declared).
    return [{ value: 'true', label: 'Contains PII' }];
  }
  if (facet === 'governanceLevel') {
    if (!apis.dataMeshApi) return [];
    const { levels } = await apis.dataMeshApi.getPolicies();
    // Below the first level the documents say `none`; the ladder lowest first.
    return ['none', ...levels.map(level => level.name)].map(value => ({
      value,
      label: levelLabel(value),
    }));
  }
  const field = CATALOG_FIELDS[facet]!;
  const { facets } = await apis.catalogApi.getEntityFacets({
    filter: { kind: 'DataProduct' },
    facets: [field],
  });
  const values = [
    ...new Set((facets[field] ?? []).map(entry => entry.value).filter(Boolean)),
  ];
  if (facet === 'domain' || facet === 'owner') {
    const refs = values
      .map(value => {
        try {
          return stringifyEntityRef(parseEntityRef(value));
        } catch {
          return undefined;
        }
      })
      .filter(
        (ref): ref is string =>
          !!ref && (facet === 'owner' || ref.startsWith('domain:')),
      );
    return labelRefs(apis.catalogApi, [...new Set(refs)]);
  }
  return values.map(value => ({ value, label: value })).sort(byLabel);
}
