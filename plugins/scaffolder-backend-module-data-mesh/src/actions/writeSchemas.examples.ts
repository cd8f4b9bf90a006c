import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Write the DataProduct schema to .quanta/schemas',
    example: yaml.stringify({
      steps: [
        {
          id: 'schemas',
          action: 'data-mesh:write:schemas',
          name: 'Write the schema CI validates the descriptor against',
        },
      ],
    }),
  },
  {
    description: 'Write them to another folder',
    example: yaml.stringify({
      steps: [
        {
          id: 'schemas',
          action: 'data-mesh:write:schemas',
          name: 'Write the schema CI validates the descriptor against',
          input: { directory: 'ci/schemas' },
        },
      ],
    }),
  },
];
