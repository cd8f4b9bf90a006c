import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Register the repository published in the step before',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'data-mesh:publish:local',
          name: 'Publish to a local repository',
          input: { repoName: '${{ parameters.name }}' },
        },
        {
          id: 'register',
          action: 'data-mesh:register:local',
          name: 'Register in the catalog',
          input: { repoName: '${{ parameters.name }}' },
        },
      ],
    }),
  },
  {
    description: 'Do not wait for the entity to appear',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'data-mesh:register:local',
          name: 'Register in the catalog',
          input: { repoName: 'orders', timeoutSeconds: 0 },
        },
      ],
    }),
  },
];
