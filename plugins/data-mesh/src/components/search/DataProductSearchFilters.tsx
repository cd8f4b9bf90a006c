import { useEffect, useRef } from 'react';
import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  SearchFilter,
  useSearch,
  type FilterValueWithLabel,
} from '@backstage/plugin-search-react';
import { dataMeshApiRef } from '../../api';
import { useAsync } from '../../lib/useAsync';
import { DATA_PRODUCT_SEARCH_TYPE } from './document';
import {
  DATA_PRODUCT_FACETS,
  FACET_DISPLAY,
  loadFacetValues,
  type DataProductSearchFacet,
} from './facets';

/**
 * Props of {@link DataProductSearchFilters}.
 *
 * @public
 */
export type DataProductSearchFiltersProps = {
  /** Class of each filter, such as the search page's filter spacing. */
  className?: string;
  /** The facets to show, in this order; all by default. */
  facets?: DataProductSearchFacet[];
};

/**
 * One facet of data product results. It shows only while the search is
 * restricted to data products: the other result types have no such fields,
 * and a filter on one would leave them out. When the search leaves that
 * type, the facet's filter is dropped with it, so results of the other types
 * are not filtered by a control no longer on screen.
 */
export function DataProductSearchFacetFilter(props: {
  facet: DataProductSearchFacet;
  className?: string;
}) {
  const { facet, className } = props;
  const { types, filters, setFilters } = useSearch();
  const shown = types.includes(DATA_PRODUCT_SEARCH_TYPE);
  const catalogApi = useApi(catalogApiRef);
  // Optional: in a legacy app the data-mesh API is registered only with the
  // plugin's other extensions; without it the level facet is left out.
  const dataMeshApi = useApiHolder().get(dataMeshApiRef);

  const wasShown = useRef(shown);
  useEffect(() => {
    if (wasShown.current && !shown) {
      setFilters(previous => {
        if (!(facet in previous)) return previous;
        const { [facet]: _dropped, ...rest } = previous;
        return rest;
      });
    }
    wasShown.current = shown;
  }, [shown, facet, setFilters]);

  const { value } = useAsync(
    async (): Promise<FilterValueWithLabel[]> =>
      shown ? loadFacetValues(facet, { catalogApi, dataMeshApi }) : [],
    [shown, facet, catalogApi, dataMeshApi],
  );

  // A facet whose values could not be read is left out; the others work.
  if (!shown || !value?.length) return null;

  const { label, control } = FACET_DISPLAY[facet];
  const current = filters[facet];
  // A value chosen elsewhere (the URL) that the facet does not offer stays
  // visible, so that it can be cleared.
  const values =
    typeof current === 'string' && !value.some(v => v.value === current)
      ? [...value, { value: current, label: current }]
      : value;

  return control === 'select' ? (
    <SearchFilter.Select
      className={className}
      label={label}
      name={facet}
      values={values}
    />
  ) : (
    <SearchFilter.Checkbox
      className={className}
      label={label}
      name={facet}
      values={values}
    />
  );
}

/**
 * Filters for data product search results: type, domain, owner, governance
 * level, classification, lifecycle and "contains PII". Put it among the
 * search page's filters; it shows while the search is restricted to the
 * `data-product` result type.
 */
export function DataProductSearchFilters(props: DataProductSearchFiltersProps) {
  const facets = props.facets ?? DATA_PRODUCT_FACETS;
  return (
    <>
      {facets.map(facet => (
        <DataProductSearchFacetFilter
          key={facet}
          facet={facet}
          className={props.className}
        />
      ))}
    </>
  );
}
