import type { JSX } from 'react';
import { createComponentExtension } from '@backstage/core-plugin-api';
import { createSearchResultListItemExtension } from '@backstage/plugin-search-react';
import { dataMeshPlugin } from '../../plugin';
import { DATA_PRODUCT_SEARCH_TYPE } from './document';
import type { DataProductSearchResultListItemProps } from './DataProductSearchResultItem';
import type { DataProductSearchFiltersProps } from './DataProductSearchFilters';

/**
 * A `data-product` search result: title linking to the product, description,
 * domain, owner, type, governance level badge, SLO status, and the output
 * port or schema field the search term matched, with the words marked. Put
 * it in `<SearchResult>`; it renders only results of type `data-product`.
 *
 * @public
 */
export const DataProductSearchResultListItem: (
  props: DataProductSearchResultListItemProps,
) => JSX.Element | null = dataMeshPlugin.provide(
  createSearchResultListItemExtension({
    name: 'DataProductSearchResultListItem',
    component: () =>
      import('./DataProductSearchResultItem').then(
        m => m.DataProductSearchResultItem,
      ),
    predicate: result => result.type === DATA_PRODUCT_SEARCH_TYPE,
  }),
);

/**
 * Filters (facets) for data product search results: type, domain, owner,
 * governance level, classification, lifecycle and "contains PII". Put it
 * among the search page's filters; it shows while the search is restricted
 * to the `data-product` result type, and drops its filters when the search
 * leaves that type.
 *
 * @public
 */
export const DataProductSearchFilters: (
  props: DataProductSearchFiltersProps,
) => JSX.Element = dataMeshPlugin.provide(
  createComponentExtension({
    name: 'DataProductSearchFilters',
    component: {
      lazy: () =>
        import('./DataProductSearchFilters').then(
          m => m.DataProductSearchFilters,
        ),
    },
  }),
);
