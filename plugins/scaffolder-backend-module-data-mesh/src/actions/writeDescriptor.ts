import { stringifyEntityRef } from '@backstage/catalog-model';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  formatProblem,
  validateDataProduct,
} from '@quanta/plugin-data-mesh-common';
import {
  type ProductInput,
  buildDataProduct,
  productInput,
} from '../lib/descriptor';
import { displayPath, writeWorkspaceFile, yamlDocument } from '../lib/files';
import { examples } from './writeDescriptor.examples';

/**
 * `data-mesh:write:descriptor`: builds the DataProduct descriptor from the
 * form's structured values and writes it as `catalog-info.yaml`. It stamps the
 * template and its version (`backstage.io/source-template`,
 * `quanta.dev/template-version`) so adoption can count products made from
 * templates and spot drift, and points every output port at its contract.
 *
 * @public
 */
export function createWriteDescriptorAction() {
  return createTemplateAction({
    id: 'data-mesh:write:descriptor',
    description:
      'Writes the DataProduct descriptor (catalog-info.yaml) from structured values, with the template annotations and a contract per output port',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...productInput,
        path: z =>
          z
            .string()
            .optional()
            .describe(
              'Where to write the descriptor in the workspace; catalog-info.yaml when omitted',
            ),
      },
      output: {
        entity: z => z.record(z.any()).describe('The DataProduct written'),
        entityRef: z => z.string(),
        path: z =>
          z.string().describe('The file written, relative to the workspace'),
      },
    },
    async handler(ctx) {
      const entity = buildDataProduct(
        ctx.input as unknown as ProductInput,
        ctx.templateInfo,
      );
      for (const problem of validateDataProduct(entity)) {
        // data-mesh:validate stops the task on these; here they are only noted.
        ctx.logger.warn(`Descriptor problem: ${formatProblem(problem)}`);
      }
      const document = yamlDocument(entity);
      document.commentBefore =
        ' The data product, as the catalog shows it. Validate changes against\n .quanta/schemas/data-product.schema.json (the CI workflow does).';
      const target = await writeWorkspaceFile(
        ctx.workspacePath,
        ctx.input.path ?? 'catalog-info.yaml',
        document.toString({ lineWidth: 0 }),
      );
      const written = displayPath(ctx.workspacePath, target);
      ctx.logger.info(`Wrote ${written} for ${stringifyEntityRef(entity)}`);
      ctx.output('entity', entity as any);
      ctx.output('entityRef', stringifyEntityRef(entity));
      ctx.output('path', written);
    },
  });
}
