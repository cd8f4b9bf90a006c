import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { dataMeshScorecardReadPermission } from '@quanta/plugin-data-mesh-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { authorizeRequest } from '../shared/authorize';
import { parseInput } from '../shared/http';
import type { FailedDescriptors } from './FailedDescriptors';

/**
 * `GET /descriptors/failed?owner=&entityRef=`: the DataProduct descriptors
 * the catalog refused, so that a team sees the product that never appeared
 * and why, and the second files the catalog ignores for a product it
 * serves.
 */
export function createDescriptorsRouter(options: {
  descriptors: FailedDescriptors;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}): express.Router {
  const router = Router();
  router.get('/descriptors/failed', async (req, res) => {
    // A user's own credentials: the catalog decides what they may read.
    const credentials = await authorizeRequest(
      options,
      req,
      dataMeshScorecardReadPermission,
      ['user'],
    );
    const query = parseInput(
      z
        .object({
          owner: z
            .string({
              error: 'expected a team, such as group:default/sales-data',
            })
            .min(1, 'expected a team, such as group:default/sales-data')
            .optional(),
          entityRef: z
            .string({
              error: 'expected a product, such as dataproduct:default/orders',
            })
            .regex(
              /^dataproduct:[^/:]+\/[^/:]+$/i,
              'expected a product, such as dataproduct:default/orders',
            )
            .optional(),
        })
        .strict(),
      req.query,
      'query',
    );
    res.json(await options.descriptors.list(credentials, query));
  });
  return router;
}
