import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  type ContractImpactRequest,
  type ContractImpactResponse,
  compareContracts,
  requiredVersionBump,
} from '@quanta/plugin-data-mesh-common';
import { parse } from 'yaml';
import { DataProductContractContent } from './DataProductContractContent';
import { dataMeshApiRef } from '../../api';
import { sampleDataProduct } from '../../testing/sampleDataProduct';
import { mockDataMeshApi } from '../../testing/governance';
import { sampleContracts } from './testing';
import { impactSummary } from './ContractImpactCheck';

/**
 * The impact API as the backend answers it: the real change rules between
 * the held contract and the proposal, and two consumers, one reading
 * customer_email and one reading order_id only.
 */
function impactOf(held: any) {
  return jest.fn(
    async (request: ContractImpactRequest): Promise<ContractImpactResponse> => {
      const proposed = parse(request.contract as string);
      const changes = compareContracts(held, proposed);
      const breaking = changes.filter(c => c.level === 'breaking');
      const hits = (reads: string[]) =>
        breaking
          .filter(c => !c.field || reads.includes(c.field))
          .map(c => c.message);
      const consumers = [
        {
          entityRef: 'dataproduct:default/daily-sales',
          title: 'Daily Sales',
          owner: { ref: 'group:default/sales-data', title: 'Sales Data' },
          via: ['declared', 'observed'] as Array<'declared' | 'observed'>,
          fields: ['order_id', 'customer_email'],
          affectedBy: hits(['order_id', 'customer_email']),
        },
        {
          entityRef: 'dataproduct:default/order-counts',
          title: 'Order Counts',
          owner: { ref: 'group:default/finance-data' },
          via: ['observed'] as Array<'declared' | 'observed'>,
          fields: ['order_id'],
          affectedBy: hits(['order_id']),
        },
      ];
      return {
        entityRef: request.entityRef,
        port: request.port,
        current: { version: held.version, digest: 'd2' },
        proposed: { version: proposed.version, problems: [] },
        changes,
        requiredVersionBump: requiredVersionBump(changes),
        ...(breaking.length &&
        proposed.version.split('.')[0] === held.version.split('.')[0]
          ? {
              versionProblem: `Breaking changes need a new major version: ${held.version} -> ${proposed.version} is not one`,
            }
          : {}),
        consumers,
        summary: {
          breaking: breaking.length,
          warning: changes.filter(c => c.level === 'warning').length,
          compatible: changes.filter(c => c.level === 'compatible').length,
          consumers: consumers.length,
          affectedConsumers: consumers.filter(c => c.affectedBy.length).length,
        },
      };
    },
  );
}

async function renderTab(checkContractImpact: jest.Mock) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          dataMeshApiRef,
          mockDataMeshApi({
            getContracts: jest.fn(async () => sampleContracts()),
            checkContractImpact,
          }),
        ],
      ]}
    >
      <EntityProvider entity={sampleDataProduct()}>
        <DataProductContractContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('checking a contract change before publishing it', () => {
  it('starts from the current contract and shows the changes and the consumers a removed column breaks', async () => {
    const held = sampleContracts().ports[0].versions.find(v => v.current)!
      .document as any;
    const check = impactOf(held);
    await renderTab(check);

    const editor = await screen.findByRole('textbox', {
      name: 'Proposed contract of orders-table (YAML)',
    });
    // The current contract, as YAML, to edit.
    expect(parse((editor as HTMLTextAreaElement).value)).toEqual(held);

    const proposed = structuredClone(held);
    proposed.schema[0].properties = proposed.schema[0].properties.filter(
      (p: any) => p.name !== 'customer_email',
    );
    proposed.version = '2.1.0';
    await userEvent.clear(editor);
    // The editor takes the text as typed; braces would be key descriptors.
    await userEvent.click(editor);
    await userEvent.paste(JSON.stringify(proposed));
    await userEvent.click(
      screen.getByRole('button', { name: 'Check the impact' }),
    );

    const result = await screen.findByRole('region', {
      name: 'Impact of the proposed contract',
    });
    expect(check).toHaveBeenCalledWith({
      entityRef: 'dataproduct:default/orders',
      port: 'orders-table',
      contract: JSON.stringify(proposed),
    });
    expect(within(result).getByRole('status')).toHaveTextContent(
      /^1 change \(1 breaking\), which needs a new major version; 2 consumers, 1 affected\.$/,
    );
    expect(result).toHaveTextContent(
      'Breaking changes need a new major version: 2.0.0 -> 2.1.0 is not one',
    );
    expect(
      within(within(result).getByRole('list', { name: 'Breaking changes' }))
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual(['Removed field customer_email from orders (field-removed)']);
    const consumers = within(result)
      .getAllByRole('listitem')
      .filter(item => within(item).queryByRole('link'));
    expect(consumers.map(item => item.textContent)).toEqual([
      'Daily Sales (owner Sales Data; declared and observed; reads order_id, customer_email): affected by Removed field customer_email from orders',
      'Order Counts (owner group:default/finance-data; observed; reads order_id): not affected',
    ]);
    expect(within(consumers[0]).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/daily-sales',
    );
  });

  it('says what the backend refuses, and that nothing changed when nothing did', async () => {
    const held = sampleContracts().ports[0].versions.find(v => v.current)!
      .document as any;
    const check = impactOf(held);
    await renderTab(check);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Check the impact' }),
    );
    const result = await screen.findByRole('region', {
      name: 'Impact of the proposed contract',
    });
    expect(within(result).getByRole('status')).toHaveTextContent(
      `No change from version ${held.version}.`,
    );

    check.mockRejectedValueOnce(
      new Error('body.contract: not YAML; paste the contract as YAML or JSON'),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Check the impact' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'body.contract: not YAML; paste the contract as YAML or JSON',
    );
  });

  it('words a proposal it cannot compare', () => {
    const base: ContractImpactResponse = {
      entityRef: 'dataproduct:default/orders',
      port: 'orders-table',
      current: null,
      proposed: { problems: [] },
      changes: [],
      requiredVersionBump: 'none',
      consumers: [],
      summary: {
        breaking: 0,
        warning: 0,
        compatible: 0,
        consumers: 0,
        affectedConsumers: 0,
      },
    };
    expect(impactSummary(base)).toBe(
      "The portal has not read this port's contract yet: there is nothing to compare with.",
    );
    expect(
      impactSummary({
        ...base,
        proposed: { problems: ['kind: found nothing, expected DataContract'] },
      }),
    ).toBe('The proposed contract cannot be compared: fix its problems first.');
  });
});
