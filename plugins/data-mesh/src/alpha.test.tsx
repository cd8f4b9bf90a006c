import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import {
  coreExtensionData,
  ExtensionDataRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { Entity } from '@backstage/catalog-model';
import dataMeshPlugin from './alpha';
import { sampleDataProduct } from './testing/sampleDataProduct';

const cardIds = [
  'entity-card:data-mesh/data-product-about',
  'entity-card:data-mesh/data-product-ports',
  'entity-card:data-mesh/data-product-slos',
] as const;

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-service' },
  spec: { type: 'service', lifecycle: 'production', owner: 'sales-data' },
};

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

  it.each(cardIds)('%s is an entity card for DataProducts only', id => {
    const isShownFor = outputOf(
      id,
      EntityCardBlueprint.dataRefs.filterFunction,
    );

    expect(isShownFor).toBeDefined();
    expect(isShownFor!(sampleDataProduct())).toBe(true);
    expect(isShownFor!({ ...sampleDataProduct(), kind: 'dataproduct' })).toBe(
      true,
    );
    expect(isShownFor!(component)).toBe(false);
    expect(
      outputOf(id, EntityCardBlueprint.dataRefs.filterExpression),
    ).toBeUndefined();
  });

  it('puts the about and SLO cards in the info column', () => {
    const typeOf = (id: string) =>
      outputOf(id, EntityCardBlueprint.dataRefs.type);
    expect(typeOf('entity-card:data-mesh/data-product-about')).toBe('info');
    expect(typeOf('entity-card:data-mesh/data-product-ports')).toBe('content');
    expect(typeOf('entity-card:data-mesh/data-product-slos')).toBe('info');
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

  it('installs as a whole in an app', async () => {
    renderTestApp({
      features: [dataMeshPlugin],
      extensions: [createTestEntityPage({ entity: sampleDataProduct() })],
    });

    expect(
      await screen.findByText('About this data product'),
    ).toBeInTheDocument();
    expect(await screen.findByText('Output ports')).toBeInTheDocument();
    expect(
      await screen.findByText('SLOs and classification'),
    ).toBeInTheDocument();
  });

  it('renders no card on other entities', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: component }),
        ...cardIds.map(id => dataMeshPlugin.getExtension(id)),
      ],
    });

    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
    expect(
      screen.queryByText('About this data product'),
    ).not.toBeInTheDocument();
  });
});
