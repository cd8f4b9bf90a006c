import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish the workspace as a local repository named after the product',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'data-mesh:publish:local',
          name: 'Publish to a local repository',
          input: { repoName: '${{ parameters.name }}' },
        },
      ],
    }),
  },
  {
    description: 'Publish one folder of the workspace on another branch',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'data-mesh:publish:local',
          name: 'Publish to a local repository',
          input: {
            repoName: 'orders',
            sourcePath: 'repo',
            defaultBranch: 'trunk',
            commitMessage: 'Create the orders data product',
          },
        },
      ],
    }),
  },
];
