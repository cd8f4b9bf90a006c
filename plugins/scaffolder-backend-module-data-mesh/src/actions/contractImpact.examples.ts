import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Show what a contract typed into the form changes and whom it breaks, without failing the task',
    example: yaml.stringify({
      steps: [
        {
          id: 'impact',
          action: 'data-mesh:contract:impact',
          name: 'Check the consumers of the change',
          input: {
            entityRef: '${{ parameters.product.ref }}',
            port: '${{ parameters.port }}',
            contract: '${{ parameters.contract }}',
            failOn: 'never',
          },
        },
      ],
      output: {
        text: [
          {
            title: 'Impact of the change',
            content: '${{ steps.impact.output.report }}',
          },
        ],
      },
    }),
  },
  {
    description:
      "Stop before opening a pull request that breaks a consumer or gets the version wrong, and put the impact in the pull request's description",
    example: yaml.stringify({
      steps: [
        {
          id: 'fetch',
          action: 'fetch:plain',
          name: "Fetch the product's repository",
          input: { url: 'https://github.com/acme/orders' },
        },
        {
          id: 'impact',
          action: 'data-mesh:contract:impact',
          name: 'Check the consumers of the change',
          input: {
            entityRef: 'dataproduct:default/orders',
            port: 'orders-table',
            contractPath: 'contracts/orders-table.odcs.yaml',
            failOn: 'breaking',
          },
        },
        {
          id: 'pull-request',
          action: 'publish:github:pull-request',
          name: 'Propose the change',
          input: {
            repoUrl: 'github.com?owner=acme&repo=orders',
            branchName: 'contract-orders-table',
            title: 'Change the contract of orders-table',
            description: '${{ steps.impact.output.report }}',
          },
        },
      ],
    }),
  },
];
