import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';

/**
 * A valid source-aligned DataProduct of the Sales Data team in the sales
 * domain, with one parquet table; `spec` and `metadata` override or add.
 */
export function dataProduct(
  name: string,
  spec: JsonObject = {},
  metadata: JsonObject = {},
): Entity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, ...metadata },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'group:default/sales-data',
      domain: 'domain:default/sales',
      outputPorts: [
        {
          name: 'table',
          type: 'table',
          format: 'parquet',
          address: `s3://lake/${name}/`,
        },
      ],
      ...spec,
    },
  };
}
