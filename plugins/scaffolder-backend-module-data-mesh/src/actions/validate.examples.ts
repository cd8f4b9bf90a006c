import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Stop the task before anything is created when the new product fails the schema or an error-severity governance policy',
    example: yaml.stringify({
      steps: [
        {
          id: 'descriptor',
          action: 'data-mesh:write:descriptor',
          name: 'Describe the data product',
          input: {
            name: '${{ parameters.name }}',
            description: '${{ parameters.description }}',
            type: 'source-aligned',
            owner: '${{ parameters.owner }}',
            domain: '${{ parameters.domain }}',
            outputPorts: '${{ parameters.outputPorts }}',
          },
        },
        {
          id: 'validate',
          action: 'data-mesh:validate',
          name: 'Check schema and governance',
          input: { entity: '${{ steps.descriptor.output.entity }}' },
        },
      ],
    }),
  },
  {
    description: 'Treat failing warning-severity policies as blocking too',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'data-mesh:validate',
          name: 'Check schema and governance, strictly',
          input: {
            entity: '${{ steps.descriptor.output.entity }}',
            failOnWarnings: true,
          },
        },
      ],
    }),
  },
];
