import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  ACCESS_REQUEST_TRANSITIONS,
  type AccessRequestStatus,
  dataMeshAccessReadPermission,
  dataMeshAccessRequestPermission,
  entityRefKey,
} from '@quanta/plugin-data-mesh-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { authorizeRequest } from '../shared/authorize';
import {
  entityRefInput,
  jsonBodyReader,
  pageQuery,
  parseInput,
  pathEntityRef,
} from '../shared/http';
import type { AccessRequestFilter } from './AccessStore';
import type { AccessDecision, AccessService } from './AccessService';

const STATUSES = Object.keys(
  ACCESS_REQUEST_TRANSITIONS,
) as AccessRequestStatus[];

const STATUS_MESSAGE = `expected one or more of ${STATUSES.join(
  ', ',
)}, separated by commas`;

const statusList = z
  .string({ error: STATUS_MESSAGE })
  .transform((value, ctx) => {
    const statuses = value.split(',').map(s => s.trim());
    const unknown = statuses.filter(
      s => !STATUSES.includes(s as AccessRequestStatus),
    );
    if (unknown.length) {
      ctx.addIssue({
        code: 'custom',
        message: `found ${unknown.join(', ')}, ${STATUS_MESSAGE}`,
      });
      return z.NEVER;
    }
    return statuses as AccessRequestStatus[];
  });

const listQuery = z
  .object({
    entityRef: entityRefInput.optional(),
    status: statusList.optional(),
    consumer: entityRefInput.optional(),
    requester: z
      .string({ error: 'expected me or a user entity reference' })
      .optional(),
    ...pageQuery,
  })
  .strict();

const ID_MESSAGE = 'expected an access request id, a UUID';
const requestId = z
  .string({ error: ID_MESSAGE })
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    ID_MESSAGE,
  )
  .transform(id => id.toLowerCase());

const requestBody = z
  .object({
    entityRef: entityRefInput,
    port: z
      .string({ error: 'expected the name of one of the product output ports' })
      .trim()
      .min(1, 'expected the name of one of the product output ports'),
    consumer: entityRefInput,
    purpose: z
      .string({ error: 'expected why the data is needed' })
      .trim()
      .min(
        10,
        'expected why the data is needed, in at least 10 characters, such as "churn model features for the retention team"',
      )
      .max(2000, 'expected at most 2000 characters'),
    endDate: z
      .string({
        error:
          'expected the last day of access as YYYY-MM-DD, such as 2027-03-31',
      })
      .regex(
        /^\d{4}-\d{2}-\d{2}$/,
        'expected the last day of access as YYYY-MM-DD, such as 2027-03-31',
      ),
  })
  .strict();

/**
 * The access API: output port sensitivity, requests, the approvers' inbox,
 * decisions and grants. Every route checks the caller (401) and a
 * permission (403); only users ask for access and decide on it.
 */
export function createAccessRouter(options: {
  access: AccessService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}): express.Router {
  const { access } = options;
  const router = Router();
  const readJsonBody = jsonBodyReader();
  const pageOf = (query: { limit?: number; offset?: number }) => ({
    limit: query.limit ?? 100,
    offset: query.offset ?? 0,
  });

  router.get('/access/ports/:namespace/:name', async (req, res) => {
    const credentials = await authorizeRequest(
      options,
      req,
      dataMeshAccessReadPermission,
      ['user', 'service'],
    );
    const ref = pathEntityRef({
      kind: 'dataproduct',
      namespace: req.params.namespace,
      name: req.params.name,
    });
    res.json(await access.ports(ref, credentials));
  });

  router.post('/access/requests', async (req, res) => {
    const credentials = await authorizeRequest(
      options,
      req,
      dataMeshAccessRequestPermission,
      ['user'],
    );
    const body = parseInput(
      requestBody,
      (await readJsonBody(req, res)) ?? {},
      'body',
    );
    res
      .status(201)
      .json(await access.create(body, { credentials, request: req }));
  });

  router.get('/access/requests', async (req, res) => {
    const credentials = await authorizeRequest(
      options,
      req,
      dataMeshAccessReadPermission,
      ['user', 'service'],
    );
    const query = parseInput(listQuery, req.query, 'query');
    let requester: string | undefined;
    if (query.requester === 'me') {
      if (!('userEntityRef' in credentials.principal)) {
        throw new InputError(
          'query.requester: me names the signed-in user; a service names a user entity reference such as user:default/maria.silva',
        );
      }
      requester = entityRefKey(credentials.principal.userEntityRef);
    } else if (query.requester !== undefined) {
      requester = parseInput(
        entityRefInput,
        query.requester,
        'query.requester',
      );
    }
    const filter: AccessRequestFilter = {
      entityRef: query.entityRef,
      statuses: query.status,
      consumer: query.consumer,
      requester,
    };
    res.json(await access.list(filter, pageOf(query), credentials));
  });

  router.get('/access/requests/:id', async (req, res) => {
    const credentials = await authorizeRequest(
      options,
      req,
      dataMeshAccessReadPermission,
      ['user', 'service'],
    );
    const id = parseInput(requestId, req.params.id, 'path.id');
    res.json(await access.get(id, credentials));
  });

  router.get('/access/inbox', async (req, res) => {
    const credentials = await authorizeRequest(
      options,
      req,
      dataMeshAccessReadPermission,
      ['user', 'service'],
    );
    const query = parseInput(z.object(pageQuery).strict(), req.query, 'query');
    res.json(await access.inbox(pageOf(query), credentials));
  });

  router.get('/access/adoption', async (req, res) => {
    const credentials = await authorizeRequest(
      options,
      req,
      dataMeshAccessReadPermission,
      ['user', 'service'],
    );
    const { days } = parseInput(
      z
        .object({
          days: z.coerce
            .number({ error: 'expected a number of days, such as 90' })
            .int('expected a whole number of days, such as 90')
            .min(1, 'expected at least 1 day')
            .max(3650, 'expected at most 3650 days')
            .default(90),
        })
        .strict(),
      req.query,
      'query',
    );
    res.json(await access.adoption(days, credentials));
  });

  router.get('/access/grants', async (req, res) => {
    const credentials = await authorizeRequest(
      options,
      req,
      dataMeshAccessReadPermission,
      ['user', 'service'],
    );
    const query = parseInput(
      z
        .object({
          entityRef: entityRefInput.optional(),
          ...pageQuery,
        })
        .strict(),
      req.query,
      'query',
    );
    if (!query.entityRef) {
      throw new InputError(
        'query.entityRef: expected the product whose grants to list, such as dataproduct:default/orders',
      );
    }
    res.json(await access.grants(query.entityRef, pageOf(query), credentials));
  });

  const decisions: AccessDecision[] = ['approve', 'deny', 'revoke'];
  for (const decision of decisions) {
    // The approve permission is a resource permission: the service applies
    // the policy's decision to the request's product.
    router.post(`/access/requests/:id/${decision}`, async (req, res) => {
      const credentials = await options.httpAuth.credentials(req, {
        allow: ['user'],
      });
      const id = parseInput(requestId, req.params.id, 'path.id');
      const body = await readJsonBody(req, res);
      res.json(
        await access.decide(id, decision, body, { credentials, request: req }),
      );
    });
  }

  return router;
}
