import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  createTemplateAction,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
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
 * The input of `data-mesh:write:descriptor`: the product, and where to write
 * its descriptor.
 *
 * @public
 */
export type WriteDescriptorInput = ProductInput & {
  /** Where to write the descriptor in the workspace; `catalog-info.yaml` when omitted. */
  path?: string;
};

/**
 * The output of `data-mesh:write:descriptor`.
 *
 * @public
 */
export type WriteDescriptorOutput = {
  /** The DataProduct written. */
  entity: Record<string, any>;
  entityRef: string;
  /** The file written, relative to the workspace. */
  path: string;
};

/**
 * `data-mesh:write:descriptor`: builds the DataProduct descriptor from the
 * form's structured values and writes it as `catalog-info.yaml`. It stamps the
 * template and its version (`backstage.io/source-template`,
 * `quanta.dev/template-version`) so adoption can count products made from
 * templates and spot drift, and points every output port at its contract.
 *
 * @public
 */
export function createWriteDescriptorAction(): TemplateAction<
  WriteDescriptorInput,
  WriteDescriptorOutput,
  'v2'
> {
  // The return type is declared rather than inferred from the schema: an
  // inferred type lists its members in the order the compiler met them, so
  // the API report differed between an incremental and a cold build.
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
      const entity = buildDataProduct(ctx.input, ctx.templateInfo);
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
