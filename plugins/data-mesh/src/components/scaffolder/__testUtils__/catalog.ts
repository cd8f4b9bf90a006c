import type { Entity } from '@backstage/catalog-model';

/** A data product with output ports, as the scaffolder's fields read it. */
export const productWithPorts = (
  name: string,
  title: string,
  ports: Array<{ name: string; description?: string }>,
): Entity => ({
  apiVersion: 'quanta.dev/v1alpha1',
  kind: 'DataProduct',
  metadata: { name, namespace: 'default', title },
  spec: {
    type: 'source-aligned',
    outputPorts: ports.map(p => ({
      ...p,
      type: 'table',
      format: 'iceberg',
      address: `iceberg://lake/${p.name}`,
    })),
  },
});

/**
 * The catalog the scaffolder field tests read: Orders with two ports (one
 * described), Refunds with one, Drafts with none.
 */
export const scaffolderCatalog = [
  productWithPorts('orders', 'Orders', [
    { name: 'orders-table', description: 'Every order as placed' },
    { name: 'orders-stream' },
  ]),
  productWithPorts('refunds', 'Refunds', [
    { name: 'refunds-table', description: 'Refunds issued' },
  ]),
  productWithPorts('drafts', 'Drafts', []),
];
