import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  LINEAGE_DEFAULT_LIMIT,
  LINEAGE_MAX_DEPTH,
  LINEAGE_MAX_LIMIT,
  dataMeshLineageIngestPermission,
  dataMeshLineageReadPermission,
} from '@quanta/plugin-data-mesh-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { authorizeRequest } from '../shared/authorize';
import { jsonBodyReader, parseInput, pathEntityRef } from '../shared/http';
import type { LineageService } from './LineageService';
import { parseOpenLineageEvents } from './openLineage';

const wholeNumber = (min: number, max: number) => {
  const error = `expected a whole number from ${min} to ${max}`;
  return z.coerce
    .number({ error })
    .int(error)
    .min(min, error)
    .max(max, error)
    .optional();
};

/** Mesh views above this many products are grouped by domain unless asked otherwise. */
const DEFAULT_MESH_PRODUCTS = 300;

/**
 * Lineage routes: queries for the cards and pages, and OpenLineage
 * ingestion for pipelines. Mounted before the governance router so that the
 * ingestion route parses its (larger) body itself.
 */
export function createLineageRouter(options: {
  lineage: LineageService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** Largest OpenLineage request body, e.g. `10mb`. */
  maxBodySize: string;
}): express.Router {
  const { lineage } = options;
  const router = Router();
  const readJsonBody = jsonBodyReader(options.maxBodySize);

  const reader = (req: express.Request) =>
    authorizeRequest(options, req, dataMeshLineageReadPermission, [
      'user',
      'service',
    ]);

  router.get('/lineage/unmapped', async (req, res) => {
    await reader(req);
    const query = parseInput(
      z
        .object({
          limit: wholeNumber(1, 1000),
          offset: wholeNumber(0, Number.MAX_SAFE_INTEGER),
        })
        .strict(),
      req.query,
      'query',
    );
    res.json(
      await lineage.unmapped({
        limit: query.limit ?? 100,
        offset: query.offset ?? 0,
      }),
    );
  });

  router.get('/lineage/mesh', async (req, res) => {
    await reader(req);
    const query = parseInput(
      z
        .object({
          groupBy: z
            .enum(['auto', 'product', 'domain'], {
              error: 'expected auto, product or domain',
            })
            .optional(),
          maxProducts: wholeNumber(1, 100_000),
        })
        .strict(),
      req.query,
      'query',
    );
    res.json(
      await lineage.mesh({
        groupBy: query.groupBy ?? 'auto',
        maxProducts: query.maxProducts ?? DEFAULT_MESH_PRODUCTS,
      }),
    );
  });

  router.get('/lineage/:kind/:namespace/:name', async (req, res) => {
    await reader(req);
    const ref = pathEntityRef(req.params);
    const query = parseInput(
      z
        .object({
          upstream: wholeNumber(0, LINEAGE_MAX_DEPTH),
          downstream: wholeNumber(0, LINEAGE_MAX_DEPTH),
          limit: wholeNumber(1, LINEAGE_MAX_LIMIT),
        })
        .strict(),
      req.query,
      'query',
    );
    const response = await lineage.query(ref, {
      upstream: query.upstream ?? 1,
      downstream: query.downstream ?? 1,
      limit: query.limit ?? LINEAGE_DEFAULT_LIMIT,
    });
    if (!response) {
      throw new NotFoundError(
        `No lineage for ${ref}: it is neither a data product nor a source an input port reads`,
      );
    }
    res.json(response);
  });

  router.post('/openlineage', async (req, res) => {
    // Pipelines, not people: a static external access token (or another
    // plugin) in backend.auth.externalAccess. Checked before the body is
    // read, so that a refused caller costs no parsing of up to 10 MB.
    await authorizeRequest(options, req, dataMeshLineageIngestPermission, [
      'service',
    ]);
    const batch = parseOpenLineageEvents(await readJsonBody(req, res));
    res.status(201).json(await lineage.ingest(batch));
  });

  return router;
}
