import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Write quality checks for the SLOs of the descriptor',
    example: yaml.stringify({
      steps: [
        {
          id: 'quality',
          action: 'data-mesh:write:quality-checks',
          name: 'Write the quality checks',
          input: { entity: '${{ steps.descriptor.output.entity }}' },
        },
      ],
    }),
  },
  {
    description: 'Write them somewhere else',
    example: yaml.stringify({
      steps: [
        {
          id: 'quality',
          action: 'data-mesh:write:quality-checks',
          name: 'Write the quality checks',
          input: {
            entity: '${{ steps.descriptor.output.entity }}',
            path: 'checks/slo-checks.yaml',
          },
        },
      ],
    }),
  },
];
