import { createExtensionTester } from '@backstage/frontend-test-utils';
import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import { catalogGraphApiRef } from '@backstage/plugin-catalog-graph';
import { createDataMeshCatalogGraphApi } from './catalogGraph';
import {
  catalogGraphDataMeshModule,
  dataMeshCatalogGraphApi,
} from './catalogGraphModule';

describe('catalog graph with data mesh relations', () => {
  it('knows and draws the product owner relation by default, besides the standard ones', () => {
    const api = createDataMeshCatalogGraphApi();
    expect(api.knownRelations).toEqual(
      expect.arrayContaining([
        'ownedBy',
        'dependsOn',
        'partOf',
        'hasProductOwner',
        'productOwnerOf',
      ]),
    );
    expect(api.defaultRelations).toEqual(api.knownRelations);
    expect(api.knownRelationPairs).toContainEqual([
      'productOwnerOf',
      'hasProductOwner',
    ]);
    expect(api.knownRelationPairs).toContainEqual(['ownerOf', 'ownedBy']);
  });

  it('replaces the catalog graph plugin API from a catalog-graph module', () => {
    expect((catalogGraphDataMeshModule as any).pluginId).toBe('catalog-graph');
    const factory = createExtensionTester(dataMeshCatalogGraphApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(catalogGraphApiRef.id);
    const api = factory.factory({}) as any;
    expect(api.knownRelations).toContain('hasProductOwner');
  });
});
