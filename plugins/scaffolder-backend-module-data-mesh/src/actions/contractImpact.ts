import fs from 'node:fs/promises';
import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  createTemplateAction,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  type ContractChangeLevel,
  type ContractImpactConsumer,
  type ContractImpactRequest,
  type ContractImpactResponse,
  isFullEntityRef,
} from '@quanta/plugin-data-mesh-common';
import { workspacePath } from '../lib/files';
import {
  affectedFirst,
  contractImpactReport,
  impactSummary,
} from './contractImpactReport';
import { examples } from './contractImpact.examples';

/** The permission the data-mesh backend checks on `POST /contracts/impact`. */
const PERMISSION = 'data-mesh.scorecard.read';

/**
 * When `data-mesh:contract:impact` fails the task:
 *
 * - `breaking` (the default): a breaking change reaches at least one
 *   consumer, the proposed version does not fit the changes, or the proposal
 *   is not a contract the portal can compare;
 * - `affected`: a breaking change reaches at least one consumer, or the
 *   proposal cannot be compared; the version number is not checked;
 * - `never`: never on the result; the outputs say what the change does.
 *
 * @public
 */
export type ContractImpactFailOn = 'breaking' | 'affected' | 'never';

/**
 * The input of `data-mesh:contract:impact`.
 *
 * @public
 */
export type ContractImpactInput = {
  /** The producing product, such as `dataproduct:default/orders` or `orders`. */
  entityRef: string;
  /** The output port whose contract changes. */
  port: string;
  /** The proposed ODCS contract, as YAML (or JSON) text or as an object. */
  contract?: string | Record<string, any>;
  /** Path of the proposed contract's file in the workspace, instead of `contract`. */
  contractPath?: string;
  /** When to fail the task; `breaking` when omitted. */
  failOn?: ContractImpactFailOn;
};

/**
 * A change of the proposed contract, in the outputs of
 * `data-mesh:contract:impact`.
 *
 * @public
 */
export type ContractImpactChange = {
  /** The rule that classified it, such as `field-removed`. */
  rule: string;
  level: ContractChangeLevel;
  path: string;
  object?: string;
  field?: string;
  message: string;
};

/**
 * The outputs of `data-mesh:contract:impact`.
 *
 * @public
 */
export type ContractImpactOutput = {
  summary: {
    breaking: number;
    warning: number;
    compatible: number;
    consumers: number;
    affectedConsumers: number;
  };
  changes: ContractImpactChange[];
  /** The consumer products of the port, those a breaking change reaches first. */
  consumers: Array<{
    entityRef: string;
    title?: string;
    owner?: { ref: string; title?: string };
    via: string[];
    fields?: string[];
    affectedBy: string[];
  }>;
  requiredVersionBump: 'major' | 'minor' | 'patch' | 'none';
  versionProblem?: string;
  /** Why the proposal cannot be compared; empty when it can. */
  problems: string[];
  /** The impact in Markdown, for a pull request's description or the task's output. */
  report: string;
};

/** The product's full reference; a bare name is a data product in `default`. */
function productRef(value: string): string {
  const fix =
    'expected a data product such as dataproduct:default/orders, or its name';
  let ref: string | undefined;
  try {
    ref = stringifyEntityRef(
      parseEntityRef(value.trim(), {
        defaultKind: 'dataproduct',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    // Reported below with the expected form.
  }
  if (!ref || !isFullEntityRef(ref)) {
    throw new InputError(
      `entityRef "${value}" is not an entity reference; ${fix}`,
    );
  }
  if (!ref.toLocaleLowerCase('en-US').startsWith('dataproduct:')) {
    throw new InputError(`entityRef "${value}" is not a data product; ${fix}`);
  }
  return ref;
}

/** The proposed contract, from `contract` or from the file `contractPath` names. */
async function readProposal(
  input: ContractImpactInput,
  workspace: string,
): Promise<ContractImpactRequest['contract']> {
  const given = input.contract !== undefined && input.contract !== '';
  if (given && input.contractPath) {
    throw new InputError(
      'Both contract and contractPath are set; give the proposed contract one way only',
    );
  }
  if (given) return input.contract!;
  if (!input.contractPath) {
    throw new InputError(
      'No proposed contract: set contract to its YAML text (or object), or contractPath to its file in the workspace',
    );
  }
  const file = workspacePath(workspace, input.contractPath);
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new InputError(
        `contractPath "${input.contractPath}": no such file in the workspace; fetch the repository first (fetch:plain) or correct the path`,
      );
    }
    if (code === 'EISDIR') {
      throw new InputError(
        `contractPath "${input.contractPath}" is a folder; name the contract's file, such as contracts/orders-table.odcs.yaml`,
      );
    }
    throw error;
  }
}

/** The message of a Backstage error body, if the body is one. */
function backstageMessage(text: string): string | undefined {
  try {
    const message = JSON.parse(text)?.error?.message;
    return typeof message === 'string' && message ? message : undefined;
  } catch {
    // Not JSON, such as a proxy's error page.
    return undefined;
  }
}

/** An error the template's author can act on, for a refused request. */
async function requestError(
  response: Response,
  url: string,
  ref: string,
  port: string,
): Promise<Error> {
  const text = await response.text().catch(() => '');
  const found = backstageMessage(text);
  const message =
    found ?? (text.trim().slice(0, 500) || response.statusText || 'no message');
  const what = `The impact of the contract of ${ref}, port ${port}, could not be checked`;
  switch (response.status) {
    case 400:
      return new InputError(
        `${what}: the data-mesh backend refused the request: ${message}`,
      );
    case 404:
      // The backend names the unknown product or port; a bare 404 is the
      // portal's answer for a plugin it does not run.
      return found
        ? new NotFoundError(
            `${what}: ${found}. Check the entityRef and port inputs`,
          )
        : new NotFoundError(
            `${what}: nothing answers at ${url}; is the data-mesh backend plugin (@quanta/plugin-data-mesh-backend) installed in this portal?`,
          );
    case 401:
      return new AuthenticationError(
        `${what}: the data-mesh backend did not accept the credentials of the person running the template: ${message}`,
      );
    case 403:
      return new NotAllowedError(
        `${what}: the person running the template needs the permission ${PERMISSION}: ${message}`,
      );
    default:
      return new Error(
        `${what}: the data-mesh backend answered ${response.status} ${response.statusText}: ${message}`,
      );
  }
}

function consumerName(consumer: ContractImpactConsumer): string {
  const owner = consumer.owner
    ? `, owner ${consumer.owner.title ?? consumer.owner.ref}`
    : '';
  return `${consumer.title ?? consumer.entityRef} (${
    consumer.entityRef
  }${owner})`;
}

/** Why the task fails under `failOn`, one line per reason; empty when it passes. */
function failureReasons(
  impact: ContractImpactResponse,
  failOn: ContractImpactFailOn,
): string[] {
  if (failOn === 'never') return [];
  const reasons: string[] = [];
  // Nothing is compared for a proposal with problems: passing it would
  // report no change for a contract no consumer could use.
  for (const problem of impact.proposed.problems) {
    reasons.push(`The proposed contract cannot be compared: ${problem}`);
  }
  for (const consumer of impact.consumers) {
    if (!consumer.affectedBy.length) continue;
    reasons.push(
      `${consumerName(consumer)} is affected by ${
        consumer.affectedBy.length === 1
          ? 'a breaking change'
          : `${consumer.affectedBy.length} breaking changes`
      }: ${consumer.affectedBy.join('; ')}`,
    );
  }
  if (failOn === 'breaking' && impact.versionProblem) {
    reasons.push(
      `The proposed version does not fit the changes: ${impact.versionProblem}`,
    );
  }
  return reasons;
}

/**
 * `data-mesh:contract:impact`: asks the data-mesh backend what a proposed
 * contract of a product's output port changes and which consumer products
 * the breaking changes reach, as the person running the template. It logs
 * the answer, outputs it (with a Markdown report for a pull request) and,
 * depending on `failOn`, stops the task before a breaking change is
 * proposed.
 *
 * @public
 */
export function createContractImpactAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): TemplateAction<ContractImpactInput, ContractImpactOutput, 'v2'> {
  const { discovery, auth } = options;
  return createTemplateAction({
    id: 'data-mesh:contract:impact',
    description:
      "Checks a proposed data contract of a product's output port against the current one: the changes, the version they need and the consumer products they break; fails on breaking changes when failOn says so",
    examples,
    // It only reads: a dry run shows the same impact.
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe(
              'The data product whose contract changes, such as dataproduct:default/orders; a bare name is a data product in the default namespace',
            ),
        port: z =>
          z.string().describe('The output port whose contract changes'),
        contract: z =>
          z
            .union([z.string(), z.record(z.any())])
            .optional()
            .describe(
              'The proposed ODCS contract, as YAML text or as an object; or use contractPath',
            ),
        contractPath: z =>
          z
            .string()
            .optional()
            .describe(
              "Path of the proposed contract's file in the workspace, such as contracts/orders-table.odcs.yaml; or use contract",
            ),
        failOn: z =>
          z
            .enum(['breaking', 'affected', 'never'])
            .optional()
            .describe(
              'breaking (default): fail when a breaking change reaches a consumer, the version does not fit the changes, or the proposal cannot be compared; affected: only when a breaking change reaches a consumer or the proposal cannot be compared; never: only report',
            ),
      },
      output: {
        summary: z =>
          z
            .object({
              breaking: z.number(),
              warning: z.number(),
              compatible: z.number(),
              consumers: z.number(),
              affectedConsumers: z.number(),
            })
            .describe(
              'How many changes of each level, consumers, and consumers a breaking change reaches',
            ),
        changes: z =>
          z
            .array(
              z.object({
                rule: z.string(),
                level: z.enum(['breaking', 'warning', 'compatible']),
                path: z.string(),
                object: z.string().optional(),
                field: z.string().optional(),
                message: z.string(),
              }),
            )
            .describe('The changes from the current contract'),
        consumers: z =>
          z
            .array(
              z.object({
                entityRef: z.string(),
                title: z.string().optional(),
                owner: z
                  .object({ ref: z.string(), title: z.string().optional() })
                  .optional(),
                via: z.array(z.string()),
                fields: z.array(z.string()).optional(),
                affectedBy: z.array(z.string()),
              }),
            )
            .describe(
              'The products that read the port, those a breaking change reaches first',
            ),
        requiredVersionBump: z =>
          z
            .enum(['major', 'minor', 'patch', 'none'])
            .describe('The version bump the changes need'),
        versionProblem: z =>
          z
            .string()
            .optional()
            .describe('Why the proposed version does not fit the changes'),
        problems: z =>
          z
            .array(z.string())
            .describe('Why the proposal cannot be compared; empty when it can'),
        report: z =>
          z
            .string()
            .describe(
              'The impact in Markdown, for a pull request description or the template output',
            ),
      },
    },
    async handler(ctx) {
      const ref = productRef(ctx.input.entityRef);
      const port = ctx.input.port.trim();
      if (!port) {
        throw new InputError(
          "port is empty; name one of the product's output ports, such as orders-table",
        );
      }
      const failOn = ctx.input.failOn ?? 'breaking';
      const contract = await readProposal(ctx.input, ctx.workspacePath);

      const baseUrl = await discovery.getBaseUrl('data-mesh');
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await ctx.getInitiatorCredentials(),
        targetPluginId: 'data-mesh',
      });
      const request: ContractImpactRequest = { entityRef: ref, port, contract };
      const url = `${baseUrl}/contracts/impact`;
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify(request),
          signal: ctx.signal,
        });
      } catch (error) {
        throw new Error(
          `Could not reach the data-mesh backend at ${baseUrl}: ${
            (error as Error).message
          }. Is the data-mesh plugin installed in this backend?`,
        );
      }
      if (!response.ok) throw await requestError(response, url, ref, port);
      // Not response.json(): the scaffolder's templating takes only plain
      // objects of its own realm, and fetch may parse in another (under Jest).
      const impact = JSON.parse(
        await response.text(),
      ) as ContractImpactResponse;

      logImpact(ctx.logger, impact);
      const consumers = affectedFirst(impact.consumers);
      ctx.output('summary', impact.summary);
      ctx.output(
        'changes',
        impact.changes.map(({ rule, level, path, object, field, message }) => ({
          rule,
          level,
          path,
          ...(object !== undefined ? { object } : {}),
          ...(field !== undefined ? { field } : {}),
          message,
        })),
      );
      ctx.output('consumers', consumers);
      ctx.output('requiredVersionBump', impact.requiredVersionBump);
      if (impact.versionProblem) {
        ctx.output('versionProblem', impact.versionProblem);
      }
      ctx.output('problems', impact.proposed.problems);
      ctx.output('report', contractImpactReport(impact));

      const reasons = failureReasons(impact, failOn);
      if (reasons.length) {
        const lines = reasons.map((reason, i) => `${i + 1}. ${reason}`);
        lines.forEach(line => ctx.logger.error(line));
        throw new InputError(
          `The contract change of ${impact.entityRef}, port ${
            impact.port
          }, is refused (failOn: ${failOn}):\n${lines.join(
            '\n',
          )}\nAgree breaking changes with the owners of the consumers and publish them under a new major version, or set failOn to never to only report.`,
        );
      }
    },
  });
}

/** The impact in the task log: one line per change, version and consumer. */
function logImpact(logger: LoggerService, impact: ContractImpactResponse) {
  logger.info(
    `Contract of ${impact.entityRef}, port ${impact.port}: ${
      impact.current
        ? `current version ${impact.current.version}`
        : 'never read by the portal'
    }, proposed version ${impact.proposed.version ?? 'not given'}`,
  );
  for (const problem of impact.proposed.problems) {
    logger.error(`Problem in the proposed contract: ${problem}`);
  }
  logger.info(impactSummary(impact));
  for (const change of impact.changes) {
    const line = `${change.level}: ${change.message} (${change.rule})`;
    if (change.level === 'breaking') logger.warn(line);
    else logger.info(line);
  }
  if (impact.changes.length) {
    logger.info(
      `Required version: a new ${impact.requiredVersionBump} version`,
    );
  }
  if (impact.versionProblem) {
    logger.warn(`Version: ${impact.versionProblem}`);
  }
  for (const consumer of impact.consumers) {
    const fields = consumer.fields
      ? `reads ${consumer.fields.join(', ') || 'no field of the port'}`
      : 'fields read unknown';
    const line = `Consumer ${consumerName(consumer)}, ${consumer.via.join(
      ' and ',
    )}, ${fields}: ${
      consumer.affectedBy.length
        ? `affected by ${consumer.affectedBy.join('; ')}`
        : 'not affected'
    }`;
    if (consumer.affectedBy.length) logger.warn(line);
    else logger.info(line);
  }
}
