import path from 'node:path';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { dataProductSchema } from '@quanta/plugin-data-mesh-common';
import { displayPath, writeWorkspaceFile } from '../lib/files';
import { examples } from './writeSchemas.examples';

export const DATA_PRODUCT_SCHEMA_FILE = 'data-product.schema.json';

/**
 * `data-mesh:write:schemas`: writes the JSON schema of the DataProduct
 * descriptor into the repository, so its CI validates `catalog-info.yaml`
 * against the version the portal uses. Contracts need no copy: CI checks
 * each against the official ODCS schema of its own apiVersion, as the
 * standard publishes it (the template's `.quanta/check_contracts.py`).
 *
 * @public
 */
export function createWriteSchemasAction() {
  return createTemplateAction({
    id: 'data-mesh:write:schemas',
    description:
      'Writes the JSON schema of the DataProduct descriptor, for the repository CI to validate catalog-info.yaml against',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        directory: z =>
          z
            .string()
            .optional()
            .describe('Folder in the workspace; .quanta/schemas when omitted'),
      },
      output: {
        paths: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      const directory = ctx.input.directory ?? '.quanta/schemas';
      const written: string[] = [];
      const target = await writeWorkspaceFile(
        ctx.workspacePath,
        path.posix.join(directory, DATA_PRODUCT_SCHEMA_FILE),
        `${JSON.stringify(dataProductSchema, null, 2)}\n`,
      );
      written.push(displayPath(ctx.workspacePath, target));
      ctx.logger.info(`Wrote ${written.join(', ')}`);
      ctx.output('paths', written);
    },
  });
}
