import {
  ALL_RELATION_PAIRS,
  ALL_RELATIONS,
  DefaultCatalogGraphApi,
} from '@backstage/plugin-catalog-graph';
import {
  RELATION_HAS_PRODUCT_OWNER,
  RELATION_PRODUCT_OWNER_OF,
} from '@quanta/plugin-data-mesh-common';

/**
 * A catalog graph API that also knows the data mesh relations, so relation
 * graphs draw a data product's accountable product owner next to its team,
 * domain and dependencies. The catalog graph only draws relation types it
 * knows.
 *
 * @public
 */
export function createDataMeshCatalogGraphApi(): DefaultCatalogGraphApi {
  return new DefaultCatalogGraphApi({
    knownRelations: [
      ...ALL_RELATIONS,
      RELATION_HAS_PRODUCT_OWNER,
      RELATION_PRODUCT_OWNER_OF,
    ],
    knownRelationPairs: [
      ...ALL_RELATION_PAIRS,
      [RELATION_PRODUCT_OWNER_OF, RELATION_HAS_PRODUCT_OWNER],
    ],
    // The constructor reads this field whenever options are given.
    defaultRelationTypes: { exclude: [] },
  });
}
