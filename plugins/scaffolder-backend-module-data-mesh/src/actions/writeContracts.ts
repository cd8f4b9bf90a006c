import path from 'node:path';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { displayPath, writeWorkspaceFile, yamlDocument } from '../lib/files';
import { buildContract } from '../lib/odcs';
import { productFromInput, productInput } from '../lib/productInput';
import { examples } from './writeContracts.examples';

const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * `data-mesh:write:contracts`: writes one Open Data Contract Standard (v3)
 * contract per output port of the product, at the location the descriptor
 * gives the port. The contracts are built as data from the ports, fields and
 * SLOs the form collected; no text is templated.
 *
 * @public
 */
export function createWriteContractsAction() {
  return createTemplateAction({
    id: 'data-mesh:write:contracts',
    description:
      'Writes an ODCS v3 data contract for every output port of a data product, from its ports, fields and SLOs',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entity: productInput,
        descriptorPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Where the descriptor is in the workspace, as contract locations are relative to it; catalog-info.yaml when omitted',
            ),
      },
      output: {
        paths: z =>
          z
            .array(z.string())
            .describe('The contracts written, relative to the workspace'),
      },
    },
    async handler(ctx) {
      const entity = productFromInput(ctx.input.entity);
      const base = path.posix.dirname(
        (ctx.input.descriptorPath ?? 'catalog-info.yaml')
          .split(path.sep)
          .join('/'),
      );
      const now = new Date();
      const written: string[] = [];
      for (const port of entity.spec.outputPorts ?? []) {
        const location = port.contract?.location;
        if (!location) {
          ctx.logger.warn(
            `Output port ${port.name} declares no contract; none written`,
          );
          continue;
        }
        if (path.posix.isAbsolute(location) || path.isAbsolute(location)) {
          throw new InputError(
            `Output port ${port.name}: the contract location "${location}" is absolute; expected a path relative to the descriptor, such as ./contracts/${port.name}.odcs.yaml`,
          );
        }
        if (URL_LIKE.test(location)) {
          ctx.logger.info(
            `Output port ${port.name} points at the contract ${location} elsewhere; none written`,
          );
          continue;
        }
        const document = yamlDocument(buildContract(entity, port, now));
        document.commentBefore = ` ODCS v3 contract of output port ${
          port.name
        } of ${stringifyEntityRef(
          entity,
        )}.\n Change it with the port; bump version on every change consumers notice.`;
        const target = await writeWorkspaceFile(
          ctx.workspacePath,
          path.posix.join(base, location),
          document.toString({ lineWidth: 0 }),
        );
        written.push(displayPath(ctx.workspacePath, target));
      }
      ctx.logger.info(
        `Wrote ${written.length} contracts: ${written.join(', ')}`,
      );
      ctx.output('paths', written);
    },
  });
}
