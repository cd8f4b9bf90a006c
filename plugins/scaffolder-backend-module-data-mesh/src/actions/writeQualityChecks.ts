import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { displayPath, writeWorkspaceFile, yamlDocument } from '../lib/files';
import { buildQualityChecks } from '../lib/quality';
import { productFromInput, productInput } from '../lib/productInput';
import { examples } from './writeQualityChecks.examples';

/**
 * `data-mesh:write:quality-checks`: turns the product's SLOs into quality
 * checks, one per SLO and output port: freshness and interval of change as
 * the age of the newest load, completeness as the share of rows with every
 * declared field, availability as the port being readable, timeliness as the
 * delay between an event and its load.
 *
 * @public
 */
export function createWriteQualityChecksAction() {
  return createTemplateAction({
    id: 'data-mesh:write:quality-checks',
    description:
      "Writes quality checks that implement the data product's SLOs, for quality/run_checks.py to run and push to the portal",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entity: productInput,
        path: z =>
          z
            .string()
            .optional()
            .describe(
              'Where to write the checks; quality/checks.yaml when omitted',
            ),
      },
      output: {
        path: z => z.string(),
        checks: z => z.number().describe('How many checks were written'),
      },
    },
    async handler(ctx) {
      const entity = productFromInput(ctx.input.entity);
      const checks = buildQualityChecks(entity);
      if (!checks.checks.length) {
        ctx.logger.warn(
          'The product declares no SLOs (spec.slos), so no quality check was written',
        );
      }
      for (const skipped of checks.notChecked) {
        ctx.logger.warn(
          `No check for the ${skipped.slo} SLO of ${skipped.port}: ${skipped.reason}`,
        );
      }
      const document = yamlDocument(checks);
      document.commentBefore = [
        ` Quality checks generated from spec.slos of ${checks.product}.`,
        " quality/run_checks.py runs each query against the port's model and",
        ' compares the answer with expect; results go to the portal at',
        ' POST /api/data-mesh/quality/results. Regenerate or edit them when the SLOs change.',
      ].join('\n');
      const target = await writeWorkspaceFile(
        ctx.workspacePath,
        ctx.input.path ?? 'quality/checks.yaml',
        document.toString({ lineWidth: 0 }),
      );
      const written = displayPath(ctx.workspacePath, target);
      ctx.logger.info(
        `Wrote ${checks.checks.length} quality checks to ${written}`,
      );
      ctx.output('path', written);
      ctx.output('checks', checks.checks.length);
    },
  });
}
