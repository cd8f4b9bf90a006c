import type { SearchDocument } from '@backstage/plugin-search-common';
import { readDataProductResult } from './document';
import { ordersDocument } from './testing';

describe('readDataProductResult', () => {
  it('reads the ports with their field names, marking those with personal data', () => {
    expect(readDataProductResult(ordersDocument()).outputPorts).toEqual([
      {
        name: 'orders-table',
        type: 'table',
        format: 'iceberg',
        address: 'iceberg://lake/sales/orders',
        contractLocation: './contracts/orders.odcs.yaml',
        fields: [
          { name: 'order_id', pii: false },
          { name: 'customer_email', pii: true },
        ],
      },
      {
        name: 'order-events',
        type: 'topic',
        format: 'avro',
        address: 'kafka://events/sales.orders.v1',
        contractLocation: '',
        fields: [],
      },
    ]);
  });

  it('reads what it can of a document of another shape, and leaves the rest empty', () => {
    const product = readDataProductResult({
      title: 'Odd',
      location: '/catalog/default/dataproduct/odd',
      text: '',
      outputPorts: [
        'not a port',
        {
          name: 'daily',
          contract: { location: './contract.yaml' },
          fields: ['booking_date', 3, ''],
          piiFields: 'booking_date',
        },
      ],
      governanceLevel: 7,
    } as unknown as SearchDocument);

    expect(product).toMatchObject({
      title: 'Odd',
      description: '',
      governanceLevel: undefined,
      slosBreached: [],
      outputPorts: [
        {
          name: 'daily',
          type: '',
          contractLocation: '',
          fields: [{ name: 'booking_date', pii: false }],
        },
      ],
    });
  });
});
