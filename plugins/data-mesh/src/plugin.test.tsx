import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  dataMeshPlugin,
  EntityDataProductAboutCard,
  EntityDataProductPortsCard,
  EntityDataProductSlosCard,
  isDataProductEntity,
} from './index';
import { sampleDataProduct } from './testing/sampleDataProduct';

describe('legacy data mesh plugin', () => {
  it('is the data-mesh plugin', () => {
    expect(dataMeshPlugin.getId()).toBe('data-mesh');
  });

  it('tells DataProducts apart for EntitySwitch', () => {
    expect(isDataProductEntity(sampleDataProduct())).toBe(true);
    expect(
      isDataProductEntity({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'orders-service' },
      }),
    ).toBe(false);
  });

  it('loads the cards lazily as plugin extensions', async () => {
    await renderInTestApp(
      <EntityProvider entity={sampleDataProduct()}>
        <EntityDataProductAboutCard />
        <EntityDataProductPortsCard />
        <EntityDataProductSlosCard />
      </EntityProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(
      await screen.findByText('About this data product'),
    ).toBeInTheDocument();
    expect(await screen.findByText('Output ports')).toBeInTheDocument();
    expect(
      await screen.findByText('SLOs and classification'),
    ).toBeInTheDocument();
  });
});
