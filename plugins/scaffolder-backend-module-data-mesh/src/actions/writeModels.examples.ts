import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Write the dbt models of the product at the repository root',
    example: yaml.stringify({
      steps: [
        {
          id: 'models',
          action: 'data-mesh:write:models',
          name: 'Write the transformation skeleton',
          input: { entity: '${{ steps.descriptor.output.entity }}' },
        },
      ],
    }),
  },
  {
    description: 'Keep the dbt project in a sub-folder',
    example: yaml.stringify({
      steps: [
        {
          id: 'models',
          action: 'data-mesh:write:models',
          name: 'Write the transformation skeleton',
          input: {
            entity: '${{ steps.descriptor.output.entity }}',
            directory: 'transform',
          },
        },
      ],
    }),
  },
];
