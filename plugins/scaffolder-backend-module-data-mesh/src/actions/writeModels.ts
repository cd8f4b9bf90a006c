import path from 'node:path';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { displayPath, writeWorkspaceFile } from '../lib/files';
import { buildModels } from '../lib/models';
import { productFromInput, productInput } from '../lib/productInput';
import { examples } from './writeModels.examples';

/**
 * `data-mesh:write:models`: writes the dbt models of the transformation
 * skeleton, shaped by the product type and its ports. Column lists come from
 * the fields of each output port, so the models start in step with the
 * contracts.
 *
 * @public
 */
export function createWriteModelsAction() {
  return createTemplateAction({
    id: 'data-mesh:write:models',
    description:
      'Writes dbt models matching the data product type: staging and output port models for source-aligned products, upstream-reading models for aggregate and consumer-aligned ones',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entity: productInput,
        directory: z =>
          z
            .string()
            .optional()
            .describe(
              'Folder of the dbt project in the workspace; the workspace root when omitted',
            ),
      },
      output: {
        paths: z =>
          z
            .array(z.string())
            .describe('The files written, relative to the workspace'),
      },
    },
    async handler(ctx) {
      const entity = productFromInput(ctx.input.entity);
      const directory = ctx.input.directory ?? '.';
      const written: string[] = [];
      for (const file of buildModels(entity)) {
        const target = await writeWorkspaceFile(
          ctx.workspacePath,
          path.posix.join(directory, file.path),
          file.content,
        );
        written.push(displayPath(ctx.workspacePath, target));
      }
      ctx.logger.info(
        `Wrote ${written.length} dbt files: ${written.join(', ')}`,
      );
      ctx.output('paths', written);
    },
  });
}
