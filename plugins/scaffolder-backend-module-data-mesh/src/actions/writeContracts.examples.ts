import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Write a contract for each output port of the descriptor written before',
    example: yaml.stringify({
      steps: [
        {
          id: 'contracts',
          action: 'data-mesh:write:contracts',
          name: 'Write the data contracts',
          input: { entity: '${{ steps.descriptor.output.entity }}' },
        },
      ],
    }),
  },
  {
    description:
      'The descriptor lives in a sub-folder; contract locations are relative to it',
    example: yaml.stringify({
      steps: [
        {
          id: 'contracts',
          action: 'data-mesh:write:contracts',
          name: 'Write the data contracts',
          input: {
            entity: '${{ steps.descriptor.output.entity }}',
            descriptorPath: 'product/catalog-info.yaml',
          },
        },
      ],
    }),
  },
];
