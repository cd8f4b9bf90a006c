import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import dataMeshPlugin from './alpha';
import { dataMeshApiRef } from './api';
import { sampleContracts } from './components/DataProductContractContent/testing';
import { mockDataMeshApi } from './testing/governance';
import { sampleComponent } from './testing/plugin';
import { sampleDataProduct } from './testing/sampleDataProduct';

const ID = 'entity-content:data-mesh/data-product-contract';

describe('the Contract tab for the new frontend system', () => {
  it('is a tab at contract, titled Contract, on DataProduct pages only', () => {
    const tester = createExtensionTester(dataMeshPlugin.getExtension(ID));
    // Read untyped: the plugin is typed loosely (see alpha.tsx).
    const get = tester.get.bind(tester) as (ref: unknown) => any;
    expect(get(coreExtensionData.routePath)).toBe('contract');
    expect(get(EntityContentBlueprint.dataRefs.title)).toBe('Contract');
    const isShownFor = get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(isShownFor(sampleDataProduct())).toBe(true);
    expect(isShownFor(sampleComponent)).toBe(false);
  });

  it("renders the product's contracts on its page", async () => {
    const api = mockDataMeshApi({
      getContracts: jest.fn(async () => sampleContracts()),
    });
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: sampleDataProduct() }),
        dataMeshPlugin.getExtension(ID),
      ],
      apis: [[dataMeshApiRef, api]],
    });

    expect(
      await screen.findByRole('status', {
        name: 'Contract status of orders-table',
      }),
    ).toHaveTextContent('Contract read');
    expect(api.getContracts).toHaveBeenCalledWith('dataproduct:default/orders');
  });
});
