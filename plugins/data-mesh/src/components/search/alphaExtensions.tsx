import { lazy, Suspense } from 'react';
import StorageIcon from '@material-ui/icons/Storage';
import {
  SearchFilterBlueprint,
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import { DATA_PRODUCT_SEARCH_TYPE } from './document';
import type { DataProductSearchFacet } from './facets';

/*
 * The search page's extensions for data products, in the new frontend
 * system. They attach to the search plugin's `page:search` and are inert
 * without it.
 */

/** The result item for `data-product` documents. */
export const dataProductSearchResultListItem =
  SearchResultListItemBlueprint.make({
    name: 'data-product',
    params: {
      icon: <StorageIcon />,
      predicate: result => result.type === DATA_PRODUCT_SEARCH_TYPE,
      component: () =>
        import('./DataProductSearchResultItem').then(
          m => m.DataProductSearchResultItem,
        ),
    },
  });

/** "Data products" among the search page's result types. */
export const dataProductSearchResultType = SearchFilterResultTypeBlueprint.make(
  {
    name: 'data-product',
    params: {
      value: DATA_PRODUCT_SEARCH_TYPE,
      name: 'Data products',
      icon: <StorageIcon />,
    },
  },
);

const LazyFacetFilter = lazy(() =>
  import('./DataProductSearchFilters').then(m => ({
    default: m.DataProductSearchFacetFilter,
  })),
);

/** One facet as its own extension, so that each can be disabled or reordered. */
function facetExtension(name: string, facet: DataProductSearchFacet) {
  return SearchFilterBlueprint.make({
    name,
    params: {
      component: ({ className }) => (
        <Suspense fallback={<></>}>
          <LazyFacetFilter facet={facet} className={className} />
        </Suspense>
      ),
    },
  });
}

/** The data product facets, shown while the search is restricted to data products. */
export const dataProductSearchFilters = [
  facetExtension('data-product-type', 'type'),
  facetExtension('data-product-domain', 'domain'),
  facetExtension('data-product-owner', 'owner'),
  facetExtension('data-product-level', 'governanceLevel'),
  facetExtension('data-product-classification', 'classification'),
  facetExtension('data-product-lifecycle', 'lifecycle'),
  facetExtension('data-product-pii', 'containsPii'),
];
