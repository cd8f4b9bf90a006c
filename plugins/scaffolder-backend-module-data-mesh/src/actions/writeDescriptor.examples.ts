import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Write catalog-info.yaml for a source-aligned product from the form values',
    example: yaml.stringify({
      steps: [
        {
          id: 'descriptor',
          action: 'data-mesh:write:descriptor',
          name: 'Describe the data product',
          input: {
            name: '${{ parameters.name }}',
            title: '${{ parameters.title }}',
            description: '${{ parameters.description }}',
            type: 'source-aligned',
            owner: '${{ parameters.owner }}',
            productOwner: '${{ parameters.productOwner }}',
            domain: '${{ parameters.domain }}',
            inputPorts: '${{ parameters.sources }}',
            outputPorts: '${{ parameters.outputPorts }}',
            slos: '${{ parameters.slos }}',
            classification: '${{ parameters.classification }}',
            containsPii: '${{ parameters.containsPii }}',
            retention: '${{ parameters.retention }}',
            regulations: '${{ parameters.regulations }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'An aggregate product reading two upstream ports, with the template named explicitly',
    example: yaml.stringify({
      steps: [
        {
          id: 'descriptor',
          action: 'data-mesh:write:descriptor',
          name: 'Describe the data product',
          input: {
            name: 'daily-sales',
            description: 'Sales per day, channel and country.',
            type: 'aggregate',
            owner: 'group:default/sales-data',
            productOwner: 'user:default/maria.silva',
            domain: 'domain:default/sales',
            inputPorts: [
              {
                dataProduct: 'dataproduct:default/orders',
                outputPort: 'orders-table',
              },
              {
                dataProduct: 'dataproduct:default/order-lines',
                outputPort: 'order-lines-table',
              },
            ],
            outputPorts: [
              {
                name: 'daily-sales-table',
                type: 'table',
                format: 'iceberg',
                address: 'iceberg://lake/sales/daily_sales',
                fields: [
                  { name: 'day', type: 'date' },
                  { name: 'revenue', type: 'decimal(14,2)' },
                ],
              },
            ],
            slos: { freshness: 'P1D', completeness: 99, availability: 99.5 },
            classification: 'internal',
            containsPii: false,
            retention: 'P5Y',
            template: {
              ref: 'template:default/aggregate-data-product',
              version: '1.0.0',
            },
          },
        },
      ],
    }),
  },
];
