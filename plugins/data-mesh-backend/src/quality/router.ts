import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CustomErrorBase, NotFoundError } from '@backstage/errors';
import {
  QUALITY_MAX_ID_LENGTH,
  QUALITY_MAX_SOURCE_LENGTH,
  QUALITY_RESULT_FORMATS,
  dataMeshQualityIngestPermission,
  dataMeshQualityReadPermission,
} from '@quanta/plugin-data-mesh-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { authorizeRequest } from '../shared/authorize';
import { entityRefInput, parseInput, pathEntityRef } from '../shared/http';
import { dateTime, runUrl } from './formats/quanta';
import type { QualityService } from './QualityService';
import { TokenBuckets } from './rateLimit';

/** 413, with the limit in the message. */
class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}

/** 429; the route sets Retry-After. */
class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  statusCode = 429;
}

const text = (what: string, max: number) =>
  z
    .string({ error: `expected ${what}` })
    .trim()
    .min(1, `expected ${what}`)
    .max(max, `expected ${what}, at most ${max} characters`);

const ingestQuery = z
  .object({
    format: z
      .enum(QUALITY_RESULT_FORMATS, {
        error: `expected one of ${QUALITY_RESULT_FORMATS.join(', ')}`,
      })
      .optional(),
    entityRef: entityRefInput.optional(),
    address: text('an output port address', 2000).optional(),
    dataset: text('a dataset name, such as analytics.orders', 1000).optional(),
    outputPort: text('an output port name', QUALITY_MAX_ID_LENGTH).optional(),
    source: text(
      'the source of the results',
      QUALITY_MAX_SOURCE_LENGTH,
    ).optional(),
    runId: text('the run id', QUALITY_MAX_ID_LENGTH).optional(),
    url: runUrl.optional(),
    runAt: dateTime.optional(),
  })
  .strict();

function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024)
    return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} kB`;
  return `${bytes} bytes`;
}

/**
 * Quality routes: pipelines post results, the portal reads SLO status.
 * Mounted before the governance router, so that results get their own body
 * size limit rather than its JSON parser's.
 */
export function createQualityRouter(options: {
  quality: QualityService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** Largest request body, in bytes. */
  maxBodyBytes: number;
  rateLimit: { requests: number; perSeconds: number };
  now?: () => Date;
}): express.Router {
  const { quality, maxBodyBytes, rateLimit } = options;
  const now = () => options.now?.() ?? new Date();
  const buckets = new TokenBuckets(rateLimit);
  const router = Router();

  // Any content type: JSON formats and JUnit XML alike are read as text, and
  // each parser reports what is wrong with it.
  const readBody = express.text({ type: () => true, limit: maxBodyBytes });

  router.post(
    '/quality/results',
    // Who and how often first, so that refused callers cost no body parsing.
    async (req, res) => {
      // Pipelines, not people: a static external access token (or another
      // plugin) in backend.auth.externalAccess.
      const credentials = await authorizeRequest(
        options,
        req,
        dataMeshQualityIngestPermission,
        ['service'],
      );
      const limit = buckets.take(
        credentials.principal.subject,
        now().getTime(),
      );
      if (!limit.allowed) {
        res.setHeader('Retry-After', String(limit.retryAfterSeconds));
        throw new TooManyRequestsError(
          `Too many quality results posted by ${credentials.principal.subject}: at most ${rateLimit.requests} requests per ${rateLimit.perSeconds} seconds (dataMesh.quality.rateLimit); retry in ${limit.retryAfterSeconds} s`,
        );
      }
      return 'next';
    },
    (req, res, next) => {
      readBody(req, res, (error?: any) => {
        if (error?.type === 'entity.too.large') {
          next(
            new PayloadTooLargeError(
              `Request body too large: the limit is ${maxBodyBytes} bytes (${describeBytes(
                maxBodyBytes,
              )}, dataMesh.quality.maxBodyBytes); post the results in smaller batches`,
            ),
          );
          return;
        }
        next(error);
      });
    },
    async (req, res) => {
      const query = parseInput(ingestQuery, req.query, 'query');
      const body = typeof req.body === 'string' ? req.body : '';
      const outcome = await quality.ingest({
        body,
        query,
        receivedAt: now(),
      });
      res.status(201).json(outcome);
    },
  );

  const reader = (req: express.Request) =>
    authorizeRequest(options, req, dataMeshQualityReadPermission, [
      'user',
      'service',
    ]);

  router.get('/quality/breaches', async (req, res) => {
    await reader(req);
    parseInput(z.object({}).strict(), req.query, 'query');
    res.json(await quality.breaches(now()));
  });

  router.get('/quality/:kind/:namespace/:name', async (req, res) => {
    await reader(req);
    const ref = pathEntityRef(req.params);
    parseInput(z.object({}).strict(), req.query, 'query');
    const status = await quality.status(ref, now());
    if (!status) {
      throw new NotFoundError(`${ref} is not a data product in the catalog`);
    }
    res.json(status);
  });

  return router;
}
