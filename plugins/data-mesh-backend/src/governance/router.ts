import type {
  AuditorService,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { type BasicPermission } from '@backstage/plugin-permission-common';
import { type HumanDuration, durationToMilliseconds } from '@backstage/types';
import {
  type AdoptionResponse,
  type NextLevel,
  type PolicyStatus,
  type ScorecardListResponse,
  dataMeshEvaluatePermission,
  dataMeshScorecardReadPermission,
  dataMeshWaiverManagePermission,
  isDataProductEntity,
} from '@quanta/plugin-data-mesh-common';
import type { PolicyEngine } from '@quanta/plugin-data-mesh-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { authorizeRequest } from '../shared/authorize';
import { describeDuration } from '../shared/config';
import {
  entityRefInput,
  jsonBodyReader,
  pageQuery,
  parseInput,
} from '../shared/http';
import { type GovernanceHistory, dayOf } from './GovernanceHistory';
import type { GovernanceStore } from './GovernanceStore';
import type { ScorecardEvaluator } from './ScorecardEvaluator';
import { evaluateFirstTime } from './firstEvaluation';
import type { WaiverStore } from './WaiverStore';

const entityRef = entityRefInput;
const days = z.coerce
  .number({ error: 'expected a whole number of days from 1 to 730' })
  .int('expected a whole number of days from 1 to 730')
  .min(1, 'expected a whole number of days from 1 to 730')
  .max(730, 'expected a whole number of days from 1 to 730');

/**
 * The first rung of the ladder a product does not hold, and the policies of
 * that rung it fails; undefined at the top of the ladder.
 */
function nextLevelOf(
  engine: PolicyEngine,
  status: Map<string, PolicyStatus>,
): NextLevel | undefined {
  return engine.levels
    .map(level => ({
      name: level.name,
      blocking: level.policies.filter(
        id => status.get(id) === 'fail' || status.get(id) === 'error',
      ),
    }))
    .find(level => level.blocking.length > 0);
}

const scorecardQuery = z.object({
  days: days.optional(),
  policies: z
    .enum(['full', 'ids'], {
      error:
        'expected full (each result with its policy) or ids (policy ids only; the texts are at GET /policies)',
    })
    .optional(),
});

const resolution = z
  .enum(['day', 'week'], { error: 'expected day or week' })
  .optional();

/** Beyond a quarter, series answer one point a week unless asked otherwise. */
function defaultResolution(span: number): 'day' | 'week' {
  return span > 90 ? 'week' : 'day';
}

/** Who acts on a waiver: the user, or the calling service. */
function actorRef(
  credentials: BackstageCredentials<
    BackstageUserPrincipal | BackstageServicePrincipal
  >,
): string {
  return 'userEntityRef' in credentials.principal
    ? credentials.principal.userEntityRef
    : `service:${credentials.principal.subject}`;
}

export function createGovernanceRouter(options: {
  engine: PolicyEngine;
  store: GovernanceStore;
  waivers: WaiverStore;
  history: GovernanceHistory;
  evaluator: ScorecardEvaluator;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  /** How far ahead a waiver may expire (dataMesh.waivers.maxDuration). */
  maxWaiverDuration: HumanDuration;
  /** How long a scorecard request waits for a new product's first evaluation. */
  firstEvaluationWaitMs?: number;
  now?: () => Date;
}): express.Router {
  const { engine, store, waivers, history, evaluator, auditor } = options;
  const now = () => options.now?.() ?? new Date();
  const router = Router();
  const readJsonBody = jsonBodyReader();

  const authorize = (req: express.Request, permission: BasicPermission) =>
    authorizeRequest(options, req, permission, ['user', 'service']);
  const policyById = () => new Map(engine.policies.map(p => [p.id, p]));

  router.get('/policies', async (req, res) => {
    await authorize(req, dataMeshScorecardReadPermission);
    res.json({ policies: engine.policies, levels: engine.levels });
  });

  router.get('/scorecards/:kind/:namespace/:name', async (req, res) => {
    const credentials = await authorize(req, dataMeshScorecardReadPermission);
    const ref = parseInput(
      entityRef,
      `${req.params.kind}:${req.params.namespace}/${req.params.name}`,
      'path',
    );
    const query = parseInput(scorecardQuery, req.query, 'query');
    let card = await store.getScorecard(ref);
    if (
      !card &&
      (await evaluateFirstTime({
        entityRef: ref,
        credentials,
        catalog: options.catalog,
        store,
        evaluator,
        waitMs: options.firstEvaluationWaitMs,
      }))
    ) {
      card = await store.getScorecard(ref);
    }
    if (!card) {
      throw new NotFoundError(
        `No scorecard for ${ref}: it is not a data product in the catalog, or its first evaluation did not finish in time; try again in a minute`,
      );
    }
    const at = now();
    const historyDays = query.days ?? 90;
    // Independent reads: in flight together, a page waits for the slowest
    // rather than for the sum.
    const [stored, active, points] = await Promise.all([
      store.getResults(ref),
      waivers.listActiveWaivers(at, { entityRef: ref }),
      history.getHistory(
        ref,
        dayOf(new Date(at.getTime() - (historyDays - 1) * 86_400_000)),
      ),
    ]);
    // The policy texts are the same for every product and change only with a
    // deployment; a client that holds GET /policies asks for ids alone and
    // saves most of the answer.
    const policies = query.policies === 'ids' ? undefined : policyById();
    const results = policies
      ? stored.map(result => ({
          ...result,
          policy: policies.get(result.policyId),
        }))
      : stored;
    const status = new Map(stored.map(r => [r.policyId, r.status]));
    res.json({
      ...card,
      results,
      nextLevel: nextLevelOf(engine, status),
      waivers: active,
      history: points,
    });
  });

  router.get('/scorecards', async (req, res) => {
    await authorize(req, dataMeshScorecardReadPermission);
    const query = parseInput(
      z
        .object({
          owner: entityRef.optional(),
          domain: entityRef.optional(),
          level: z
            .string({ error: 'expected a level name, or none' })
            .min(1, 'expected a level name, or none')
            .optional(),
          ...pageQuery,
        })
        .strict(),
      req.query,
      'query',
    );
    if (
      query.level &&
      query.level !== 'none' &&
      !engine.levels.some(level => level.name === query.level)
    ) {
      throw new InputError(
        `query.level: found "${query.level}", expected one of ${[
          ...engine.levels.map(level => level.name),
          'none',
        ].join(', ')}`,
      );
    }
    const page = await store.listScorecards({
      owner: query.owner,
      domain: query.domain,
      level: query.level,
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    });
    const body: ScorecardListResponse = {
      totalItems: page.totalItems,
      items: page.items.map(({ runId: _runId, ...item }) => {
        const status = new Map<string, PolicyStatus>(
          item.failing.map(id => [id, 'fail']),
        );
        return { ...item, nextLevel: nextLevelOf(engine, status) };
      }),
    };
    res.json(body);
  });

  router.get('/adoption', async (req, res) => {
    await authorize(req, dataMeshScorecardReadPermission);
    const query = parseInput(
      z.object({ days: days.optional(), resolution }).strict(),
      req.query,
      'query',
    );
    const span = query.days ?? 90;
    const fromDay = dayOf(new Date(now().getTime() - (span - 1) * 86_400_000));
    const adoption = await history.getAdoption(
      fromDay,
      query.resolution ?? defaultResolution(span),
    );
    const policies = policyById();
    const body: AdoptionResponse = {
      ...adoption,
      policies: adoption.policies.map(p => ({
        ...p,
        title: policies.get(p.policyId)?.title,
      })),
      topFailing: adoption.topFailing.map(p => ({
        ...p,
        title: policies.get(p.policyId)?.title,
      })),
    };
    res.json(body);
  });

  router.get('/rollups/:kind', async (req, res) => {
    await authorize(req, dataMeshScorecardReadPermission);
    const kind = parseInput(
      z.enum(['domain', 'owner', 'mesh'], {
        error: 'expected domain, owner or mesh',
      }),
      req.params.kind,
      'path.kind',
    );
    const query = parseInput(
      z.object({
        days: days.optional(),
        key: entityRef.optional(),
        resolution,
      }),
      req.query,
      'query',
    );
    const span = query.days ?? 1;
    const fromDay = dayOf(new Date(now().getTime() - (span - 1) * 86_400_000));
    res.json({
      items: await history.getRollups(kind, {
        fromDay,
        key: query.key,
        resolution: query.resolution ?? defaultResolution(span),
      }),
    });
  });

  router.get('/runs', async (req, res) => {
    await authorize(req, dataMeshScorecardReadPermission);
    const query = parseInput(
      z.object({
        limit: z.coerce
          .number({ error: 'expected a whole number from 1 to 100' })
          .int('expected a whole number from 1 to 100')
          .min(1, 'expected a whole number from 1 to 100')
          .max(100, 'expected a whole number from 1 to 100')
          .optional(),
      }),
      req.query,
      'query',
    );
    res.json({ items: await store.listRuns(query.limit ?? 20) });
  });

  router.post('/evaluations', async (req, res) => {
    await authorize(req, dataMeshEvaluatePermission);
    const body = parseInput(
      z.object({ entityRef: entityRef.optional() }).strict(),
      (await readJsonBody(req, res)) ?? {},
      'body',
    );
    const outcome = await evaluator.evaluate({
      trigger: 'api',
      entityRef: body.entityRef,
    });
    res.status(outcome.started ? 201 : 409).json(outcome);
  });

  router.get('/waivers', async (req, res) => {
    await authorize(req, dataMeshScorecardReadPermission);
    const query = parseInput(
      z.object({ entityRef: entityRef.optional() }),
      req.query,
      'query',
    );
    res.json({
      items: await waivers.listActiveWaivers(now(), {
        entityRef: query.entityRef,
      }),
    });
  });

  router.post('/waivers', async (req, res) => {
    const credentials = await authorize(req, dataMeshWaiverManagePermission);
    const event = await auditor.createEvent({
      eventId: 'waiver-grant',
      request: req,
    });
    try {
      const body = parseInput(
        z
          .object({
            entityRef,
            policyId: z
              .string({ error: 'expected a policy id from GET /policies' })
              .min(1, 'expected a policy id from GET /policies'),
            reason: z
              .string({ error: 'expected why the product is exempt' })
              .trim()
              .min(
                10,
                'expected why the product is exempt, in at least 10 characters',
              ),
            expiresAt: z.iso.datetime({
              offset: true,
              error:
                'expected an ISO-8601 date-time in the future, such as 2027-03-31T00:00:00Z',
            }),
          })
          .strict(),
        await readJsonBody(req, res),
        'body',
      );
      const product = await options.catalog.getEntityByRef(body.entityRef, {
        credentials,
      });
      if (!product || !isDataProductEntity(product)) {
        throw new InputError(
          `body.entityRef: ${body.entityRef} is not a data product in the catalog; waive policies for an existing DataProduct`,
        );
      }
      if (!policyById().has(body.policyId)) {
        throw new InputError(
          `body.policyId: found "${body.policyId}", expected a policy id from GET /policies`,
        );
      }
      if (Date.parse(body.expiresAt) <= now().getTime()) {
        throw new InputError(
          `body.expiresAt: found ${body.expiresAt}, expected a date-time in the future`,
        );
      }
      const latest =
        now().getTime() + durationToMilliseconds(options.maxWaiverDuration);
      if (Date.parse(body.expiresAt) > latest) {
        throw new InputError(
          `body.expiresAt: found ${
            body.expiresAt
          }, expected no later than ${new Date(
            latest,
          ).toISOString()}: a waiver lasts at most ${describeDuration(
            options.maxWaiverDuration,
          )} (dataMesh.waivers.maxDuration); grant a new one when it ends`,
        );
      }
      const grantedBy = actorRef(credentials);
      const waiver = await waivers.addWaiver({ ...body, grantedBy }, now());
      await event.success({
        meta: {
          waiverId: waiver.id,
          entityRef: waiver.entityRef,
          policyId: waiver.policyId,
          expiresAt: waiver.expiresAt,
        },
      });
      res.status(201).json(waiver);
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  router.delete('/waivers/:id', async (req, res) => {
    const credentials = await authorize(req, dataMeshWaiverManagePermission);
    const event = await auditor.createEvent({
      eventId: 'waiver-revoke',
      request: req,
    });
    try {
      const id = parseInput(
        z.coerce
          .number({ error: 'expected a waiver id' })
          .int('expected a waiver id')
          .positive('expected a waiver id'),
        req.params.id,
        'path.id',
      );
      const existing = await waivers.getWaiver(id);
      if (!existing) throw new NotFoundError(`No waiver with id ${id}`);
      if (existing.source === 'catalog') {
        throw new InputError(
          `path.id: waiver ${id} is declared in the descriptor of ${existing.entityRef}; remove it from spec.waivers there, by pull request`,
        );
      }
      const revokedBy = actorRef(credentials);
      const waiver = (await waivers.revokeWaiver(id, revokedBy, now()))!;
      await event.success({ meta: { waiverId: id } });
      res.json(waiver);
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  return router;
}
