import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'The owning team reviews every change (handle @sales-data)',
    example: yaml.stringify({
      steps: [
        {
          id: 'codeowners',
          action: 'data-mesh:write:codeowners',
          name: 'Write CODEOWNERS',
          input: { owner: '${{ parameters.owner }}' },
        },
      ],
    }),
  },
  {
    description:
      'A GitHub team handle (@acme/sales-data) in .github/CODEOWNERS, naming the product owner',
    example: yaml.stringify({
      steps: [
        {
          id: 'codeowners',
          action: 'data-mesh:write:codeowners',
          name: 'Write CODEOWNERS',
          input: {
            owner: 'group:default/sales-data',
            productOwner: 'user:default/maria.silva',
            organization: 'acme',
            path: '.github/CODEOWNERS',
          },
        },
      ],
    }),
  },
];
