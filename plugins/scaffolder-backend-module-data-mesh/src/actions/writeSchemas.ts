import path from 'node:path';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { dataProductSchema } from '@quanta/plugin-data-mesh-common';
import { displayPath, writeWorkspaceFile } from '../lib/files';
import { ODCS_SCHEMA_FILE, readOdcsSchema } from '../lib/schemas';
import { examples } from './writeSchemas.examples';

export const DATA_PRODUCT_SCHEMA_FILE = 'data-product.schema.json';

/**
 * `data-mesh:write:schemas`: copies the JSON schemas of the DataProduct
 * descriptor and of ODCS v3 contracts into the repository, so its CI
 * validates both offline against the versions the portal uses.
 *
 * @public
 */
export function createWriteSchemasAction() {
  return createTemplateAction({
    id: 'data-mesh:write:schemas',
    description:
      'Writes the JSON schemas of the DataProduct descriptor and of ODCS v3 contracts, for the repository CI to validate against',
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
      for (const [file, schema] of [
        [DATA_PRODUCT_SCHEMA_FILE, dataProductSchema],
        [ODCS_SCHEMA_FILE, readOdcsSchema()],
      ] as const) {
        const target = await writeWorkspaceFile(
          ctx.workspacePath,
          path.posix.join(directory, file),
          `${JSON.stringify(schema, null, 2)}\n`,
        );
        written.push(displayPath(ctx.workspacePath, target));
      }
      ctx.logger.info(`Wrote ${written.join(', ')}`);
      ctx.output('paths', written);
    },
  });
}
