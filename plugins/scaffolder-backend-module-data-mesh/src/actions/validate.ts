import {
  type Entity,
  makeValidator,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  createTemplateAction,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  DATA_PRODUCT_API_VERSION,
  type DataProductEntity,
  type DataProductProblem,
  validateDataProduct,
} from '@quanta/plugin-data-mesh-common';
import type { PolicyEngine } from '@quanta/plugin-data-mesh-node';
import {
  describeFinding,
  describeProblem,
  evaluateProduct,
  loadNeighbourhood,
} from '../lib/governance';
import { examples } from './validate.examples';

const validator = makeValidator();

/**
 * A policy the product fails, in the outputs of `data-mesh:validate`.
 *
 * @public
 */
export type ValidateFinding = {
  policyId: string;
  title: string;
  message: string;
  howToFix: string;
};

/**
 * The input of `data-mesh:validate`.
 *
 * @public
 */
export type ValidateInput = {
  /** The DataProduct descriptor. */
  entity: Record<string, any>;
  /** Also fail when a warning-severity policy fails; false when omitted. */
  failOnWarnings?: boolean;
};

/**
 * The outputs of `data-mesh:validate`.
 *
 * @public
 */
export type ValidateOutput = {
  /** The reference the product will have. */
  entityRef: string;
  /** The governance level the product will start at. */
  level?: string;
  /** Share of applicable policies passed, 0 to 100. */
  score: number;
  warnings: ValidateFinding[];
  infos: ValidateFinding[];
};

/** Problems of the envelope, which the DataProduct schema leaves to the catalog. */
function envelopeProblems(entity: Entity): DataProductProblem[] {
  const problems: DataProductProblem[] = [];
  if (entity?.apiVersion !== DATA_PRODUCT_API_VERSION) {
    problems.push({
      path: 'apiVersion',
      found: JSON.stringify(entity?.apiVersion ?? null),
      expected: `"${DATA_PRODUCT_API_VERSION}"`,
    });
  }
  if (entity?.kind !== 'DataProduct') {
    problems.push({
      path: 'kind',
      found: JSON.stringify(entity?.kind ?? null),
      expected: '"DataProduct"',
    });
  }
  const name = entity?.metadata?.name;
  if (typeof name !== 'string' || !validator.isValidEntityName(name)) {
    problems.push({
      path: 'metadata.name',
      found: typeof name === 'string' ? JSON.stringify(name) : 'nothing',
      expected:
        'a name of at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit, such as customer-orders',
    });
  }
  const description = entity?.metadata?.description;
  if (typeof description !== 'string' || !description.trim()) {
    problems.push({
      path: 'metadata.description',
      found: 'nothing',
      expected: 'a sentence on what the product holds and who it is for',
    });
  }
  return problems;
}

/**
 * `data-mesh:validate`: checks the descriptor of a data product that does not
 * exist yet against the DataProduct schema and the mesh's governance
 * policies, reading the entities it refers to from the catalog with the
 * credentials of the person running the template. Put it before any step that
 * creates something: the task stops here when a schema problem or an
 * error-severity policy fails, and warnings go to the log and the outputs.
 *
 * @public
 */
export function createValidateAction(options: {
  catalog: CatalogService;
  engine: PolicyEngine;
}): TemplateAction<ValidateInput, ValidateOutput, 'v2'> {
  // Declared rather than inferred from the schema: the API report of an
  // inferred type depends on the order in which the compiler met its members.
  const { catalog, engine } = options;
  return createTemplateAction({
    id: 'data-mesh:validate',
    description:
      'Checks a new data product against the DataProduct schema and the governance policies; fails before anything is created when the schema or an error-severity policy fails',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entity: z =>
          z
            .record(z.any())
            .describe(
              'The DataProduct descriptor, such as the entity output of data-mesh:write:descriptor',
            ),
        failOnWarnings: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Also fail when a warning-severity policy fails; false when omitted',
            ),
      },
      output: {
        entityRef: z =>
          z.string().describe('The reference the product will have'),
        level: z =>
          z
            .string()
            .optional()
            .describe('The governance level the product will start at'),
        score: z =>
          z.number().describe('Share of applicable policies passed, 0 to 100'),
        warnings: z =>
          z
            .array(
              z.object({
                policyId: z.string(),
                title: z.string(),
                message: z.string(),
                howToFix: z.string(),
              }),
            )
            .describe('Warning-severity policies the product fails'),
        infos: z =>
          z
            .array(
              z.object({
                policyId: z.string(),
                title: z.string(),
                message: z.string(),
                howToFix: z.string(),
              }),
            )
            .describe('Info-severity policies the product fails'),
      },
    },
    async handler(ctx) {
      const entity = ctx.input.entity as unknown as DataProductEntity;
      const problems = [
        ...envelopeProblems(entity),
        ...validateDataProduct(entity),
      ];
      if (problems.length) {
        const lines = problems.map((p, i) => `${i + 1}. ${describeProblem(p)}`);
        lines.forEach(line => ctx.logger.error(line));
        throw new InputError(
          `The data product was not created: its description has ${
            problems.length === 1 ? 'a problem' : `${problems.length} problems`
          }. Nothing has been created; correct the form and run it again.\n${lines.join(
            '\n',
          )}`,
        );
      }

      const entityRef = stringifyEntityRef(entity);
      const credentials = await ctx.getInitiatorCredentials();
      const existing = await catalog.getEntityByRef(entityRef, {
        credentials,
      });
      if (existing) {
        throw new InputError(
          `The data product was not created: ${entityRef} already exists in the catalog${
            existing.spec?.owner ? ` (owned by ${existing.spec.owner})` : ''
          }. Nothing has been created; choose another name.`,
        );
      }

      const neighbourhood = await loadNeighbourhood(
        entity,
        catalog,
        credentials,
      );
      const verdict = evaluateProduct(engine, entity, neighbourhood);
      const blocking = ctx.input.failOnWarnings
        ? [...verdict.errors, ...verdict.warnings]
        : verdict.errors;

      for (const finding of verdict.warnings) {
        ctx.logger.warn(`Warning: ${describeFinding(finding)}`);
      }
      for (const finding of verdict.infos) {
        ctx.logger.info(`Suggestion: ${describeFinding(finding)}`);
      }
      if (blocking.length) {
        const lines = blocking.map(
          (finding, i) => `${i + 1}. ${describeFinding(finding)}`,
        );
        lines.forEach(line => ctx.logger.error(line));
        throw new InputError(
          `The data product was not created: ${
            blocking.length === 1
              ? 'a governance policy that must pass fails'
              : `${blocking.length} governance policies that must pass fail`
          }. Nothing has been created; correct the form and run it again.\n${lines.join(
            '\n',
          )}`,
        );
      }

      const summary = (list: typeof verdict.warnings) =>
        list.map(({ policyId, title, message, howToFix }) => ({
          policyId,
          title,
          message,
          howToFix,
        }));
      ctx.logger.info(
        `${entityRef} passes governance${
          verdict.scorecard.level
            ? ` at level ${verdict.scorecard.level}`
            : ' below the first level'
        } with a score of ${verdict.scorecard.score}; ${
          verdict.warnings.length
        } warnings`,
      );
      ctx.output('entityRef', entityRef);
      if (verdict.scorecard.level) ctx.output('level', verdict.scorecard.level);
      ctx.output('score', verdict.scorecard.score);
      ctx.output('warnings', summary(verdict.warnings));
      ctx.output('infos', summary(verdict.infos));
    },
  });
}
