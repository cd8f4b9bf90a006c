import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import {
  ApiBlueprint,
  coreExtensionData,
  ExtensionDataRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import dataMeshPlugin from './alpha';
import { dataMeshApiRef, DataMeshClient } from './api';
import { dataMeshRootRouteRef } from './routes';
import { sampleDataProduct } from './testing/sampleDataProduct';
import { mockDataMeshApi } from './testing/governance';
import { sampleLineage } from './testing/lineage';
import {
  sampleComponent,
  sampleGovernanceApi,
  sampleGroup,
} from './testing/plugin';

const cardIds = [
  'entity-card:data-mesh/data-product-about',
  'entity-card:data-mesh/data-product-ports',
  'entity-card:data-mesh/data-product-slos',
] as const;

const dataProductCardIds = [
  ...cardIds,
  'entity-card:data-mesh/data-product-scorecard',
  'entity-card:data-mesh/data-product-lineage',
] as const;

/**
 * The outputs of one of the plugin's extensions. The plugin is typed loosely
 * (see alpha.tsx), so outputs are read untyped and cast here.
 */
function outputOf<T>(id: string, ref: ExtensionDataRef<T, string, any>) {
  const tester = createExtensionTester(dataMeshPlugin.getExtension(id));
  return (tester.get as (r: unknown) => T | undefined)(ref);
}

describe('data mesh plugin for the new frontend system', () => {
  it('is the data-mesh plugin', () => {
    expect(dataMeshPlugin.pluginId).toBe('data-mesh');
  });

  it.each(dataProductCardIds)(
    '%s is an entity card for DataProducts only',
    id => {
      const isShownFor = outputOf(
        id,
        EntityCardBlueprint.dataRefs.filterFunction,
      );

      expect(isShownFor).toBeDefined();
      expect(isShownFor!(sampleDataProduct())).toBe(true);
      expect(isShownFor!({ ...sampleDataProduct(), kind: 'dataproduct' })).toBe(
        true,
      );
      expect(isShownFor!(sampleComponent)).toBe(false);
      expect(
        outputOf(id, EntityCardBlueprint.dataRefs.filterExpression),
      ).toBeUndefined();
    },
  );

  it('shows the team card on Group pages only', () => {
    const isShownFor = outputOf(
      'entity-card:data-mesh/group-data-products',
      EntityCardBlueprint.dataRefs.filterFunction,
    );

    expect(isShownFor!(sampleGroup)).toBe(true);
    expect(isShownFor!(sampleDataProduct())).toBe(false);
    expect(isShownFor!(sampleComponent)).toBe(false);
  });

  it("shows the team's refused descriptors card on Group pages only", () => {
    const id = 'entity-card:data-mesh/group-failed-descriptors';
    const isShownFor = outputOf(
      id,
      EntityCardBlueprint.dataRefs.filterFunction,
    );

    expect(isShownFor).toBeDefined();
    expect(isShownFor!(sampleGroup)).toBe(true);
    expect(isShownFor!({ ...sampleGroup, kind: 'group' })).toBe(true);
    expect(isShownFor!(sampleDataProduct())).toBe(false);
    expect(isShownFor!(sampleComponent)).toBe(false);
    expect(
      outputOf(id, EntityCardBlueprint.dataRefs.filterExpression),
    ).toBeUndefined();
  });

  it('puts the about and SLO cards in the info column', () => {
    const typeOf = (id: string) =>
      outputOf(id, EntityCardBlueprint.dataRefs.type);
    expect(typeOf('entity-card:data-mesh/data-product-about')).toBe('info');
    // The summary comes first in the content area: the info column scrolls
    // on its own, no place for what must be seen first.
    expect(typeOf('entity-card:data-mesh/data-product-summary')).toBe(
      'content',
    );
    expect(typeOf('entity-card:data-mesh/data-product-ports')).toBe('content');
    expect(typeOf('entity-card:data-mesh/data-product-slos')).toBe('info');
    expect(typeOf('entity-card:data-mesh/data-product-scorecard')).toBe(
      'content',
    );
    expect(typeOf('entity-card:data-mesh/data-product-lineage')).toBe(
      'content',
    );
    expect(typeOf('entity-card:data-mesh/group-data-products')).toBe('content');
    expect(typeOf('entity-card:data-mesh/group-failed-descriptors')).toBe(
      'content',
    );
  });

  it('provides the Data Mesh page at /data-mesh, titled for the navigation', () => {
    const page = 'page:data-mesh';
    expect(outputOf(page, coreExtensionData.routePath)).toBe('/data-mesh');
    expect(outputOf(page, coreExtensionData.title)).toBe('Data Mesh');
    expect(outputOf(page, coreExtensionData.icon)).toBeDefined();
    expect(outputOf(page, coreExtensionData.routeRef)).toBe(
      dataMeshRootRouteRef,
    );
    expect(dataMeshPlugin.routes.root).toBe(dataMeshRootRouteRef);
  });

  it('provides the governance API client', () => {
    const factory = outputOf('api:data-mesh', ApiBlueprint.dataRefs.factory);
    expect(factory?.api).toBe(dataMeshApiRef);
    expect(
      factory?.factory({
        discoveryApi: { getBaseUrl: async () => '' },
        fetchApi: { fetch: jest.fn() },
      }),
    ).toBeInstanceOf(DataMeshClient);
  });

  it('provides a catalog filter on domain', () => {
    expect(
      outputOf(
        'catalog-filter:data-mesh/domain',
        coreExtensionData.reactElement,
      ),
    ).toBeDefined();
  });

  it('renders the cards on a DataProduct page', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: sampleDataProduct() }),
        ...cardIds.map(id => dataMeshPlugin.getExtension(id)),
      ],
    });

    expect(
      await screen.findByText('About this data product'),
    ).toBeInTheDocument();
    expect(await screen.findByText('Ports')).toBeInTheDocument();
    expect(
      await screen.findByText('SLOs and classification'),
    ).toBeInTheDocument();
    expect(
      await screen.findAllByText('dataproduct://default/orders'),
    ).toHaveLength(1);
    expect(
      await screen.findByText('iceberg://lake/sales/orders'),
    ).toBeInTheDocument();
    expect(await screen.findByText('1 hour')).toBeInTheDocument();
  });

  it('warns in the about card when another file declares the product', async () => {
    const api = mockDataMeshApi({
      listFailedDescriptors: jest.fn(async () => ({
        available: true,
        items: [
          {
            name: 'orders',
            namespace: 'default',
            kind: 'DataProduct',
            owner: 'returns-team',
            location: 'file:/repos/returns/catalog-info.yaml',
            state: 'conflict' as const,
            entityRef: 'dataproduct:default/orders',
            servedLocation: 'file:/repos/orders/catalog-info.yaml',
            lastTriedAt: '2026-12-01T09:30:00.000Z',
            errors: [{ name: 'ConflictError', message: 'Declares …' }],
          },
        ],
      })),
    });
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: sampleDataProduct() }),
        dataMeshPlugin.getExtension('entity-card:data-mesh/data-product-about'),
      ],
      apis: [[dataMeshApiRef, api]],
    });

    expect(
      await screen.findByRole('note', {
        name: 'Declared in more than one file',
      }),
    ).toHaveTextContent(
      'Also declared in file:/repos/returns/catalog-info.yaml (by returns-team); the catalog ignores that file. Remove the product from one of the two files, or rename it there. Reported 1 Dec 2026, 09:30 UTC.',
    );
    expect(api.listFailedDescriptors).toHaveBeenCalledWith({
      entityRef: 'dataproduct:default/orders',
    });
  });

  it('renders the scorecard on a DataProduct page', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: sampleDataProduct() }),
        dataMeshPlugin.getExtension(
          'entity-card:data-mesh/data-product-scorecard',
        ),
      ],
      apis: [[dataMeshApiRef, sampleGovernanceApi()]],
    });

    expect(await screen.findByText('Governance scorecard')).toBeInTheDocument();
    expect(await screen.findByLabelText('Level Bronze')).toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'What blocks Silver' }),
    ).toHaveTextContent('Every output port has an address');
  });

  it('renders the lineage card on a DataProduct page', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: sampleDataProduct() }),
        dataMeshPlugin.getExtension(
          'entity-card:data-mesh/data-product-lineage',
        ),
      ],
      apis: [
        [
          dataMeshApiRef,
          mockDataMeshApi({ getLineage: jest.fn(async () => sampleLineage()) }),
        ],
      ],
    });

    expect(await screen.findByText('Lineage')).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'Daily sales' }),
    ).toBeInTheDocument();
  });

  it("renders the team's products on a Group page", async () => {
    const api = sampleGovernanceApi();
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: sampleGroup }),
        dataMeshPlugin.getExtension(
          'entity-card:data-mesh/group-data-products',
        ),
      ],
      apis: [[dataMeshApiRef, api]],
    });

    expect(
      await screen.findByRole('table', { name: 'Data products of this team' }),
    ).toHaveTextContent('orders');
    expect(api.listScorecards).toHaveBeenCalledWith({
      owner: 'group:default/sales-data',
      limit: 100,
    });
  });

  it("renders the team's refused descriptors on a Group page", async () => {
    const api = mockDataMeshApi({
      listFailedDescriptors: jest.fn(async () => ({
        available: true,
        items: [
          {
            name: 'Returns Forecast',
            namespace: 'default',
            kind: 'DataProduct',
            owner: 'sales-data',
            location: 'file:/repos/returns/catalog-info.yaml',
            state: 'failed' as const,
            errors: [
              { name: 'InputError', message: '"metadata.name" is not valid' },
            ],
          },
        ],
      })),
    });
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: sampleGroup }),
        dataMeshPlugin.getExtension(
          'entity-card:data-mesh/group-failed-descriptors',
        ),
      ],
      apis: [[dataMeshApiRef, api]],
    });

    expect(
      await screen.findByRole('list', {
        name: 'Refused descriptors of this team',
      }),
    ).toHaveTextContent(
      'Returns Forecast in file:/repos/returns/catalog-info.yaml: "metadata.name" is not valid',
    );
    expect(api.listFailedDescriptors).toHaveBeenCalledWith({
      owner: 'group:default/sales-data',
    });
  });

  it('renders the Data Mesh page at /data-mesh', async () => {
    renderTestApp({
      extensions: [
        dataMeshPlugin.getExtension('page:data-mesh'),
        // Gives the nodes of the mesh lineage an entity page to open.
        createTestEntityPage({ entity: sampleDataProduct() }),
      ],
      apis: [[dataMeshApiRef, sampleGovernanceApi()]],
      initialRouteEntries: ['/data-mesh'],
    });

    expect(await screen.findByText('The mesh today')).toBeInTheDocument();
    expect(
      screen.getByRole('group', { name: 'Data products' }),
    ).toHaveTextContent('8');
    expect(screen.getByText('Mesh lineage')).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'Daily sales' }),
    ).toBeInTheDocument();
  });

  it('installs as a whole in an app', async () => {
    renderTestApp({
      features: [dataMeshPlugin],
      extensions: [createTestEntityPage({ entity: sampleDataProduct() })],
      apis: [[dataMeshApiRef, sampleGovernanceApi()]],
    });

    expect(await screen.findByText('At a glance')).toBeInTheDocument();
    expect(
      await screen.findByText('About this data product'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('table', { name: 'Output ports' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('SLOs and classification'),
    ).toBeInTheDocument();
    expect(await screen.findByText('Governance scorecard')).toBeInTheDocument();
    // On the summary and on the scorecard.
    expect(await screen.findAllByLabelText('Level Bronze')).toHaveLength(2);
  });

  it('renders no card on other entities', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: sampleComponent }),
        ...[
          ...dataProductCardIds,
          'entity-card:data-mesh/group-data-products',
          'entity-card:data-mesh/group-failed-descriptors',
        ].map(id => dataMeshPlugin.getExtension(id)),
      ],
      apis: [[dataMeshApiRef, sampleGovernanceApi()]],
    });

    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
    expect(
      screen.queryByText('About this data product'),
    ).not.toBeInTheDocument();
    expect(screen.queryByText('Governance scorecard')).not.toBeInTheDocument();
    expect(
      screen.queryByText('Data products and their levels'),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByText('Data product descriptors that failed to load'),
    ).not.toBeInTheDocument();
  });
});
