import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  type ContractsResponse,
  dataMeshScorecardReadPermission,
} from '@quanta/plugin-data-mesh-common';
import express from 'express';
import Router from 'express-promise-router';
import { authorizeRequest } from '../shared/authorize';
import { jsonBodyReader, parseInput, pathEntityRef } from '../shared/http';
import type { ContractService } from './ContractService';
import { type ContractImpact, impactRequestSchema } from './impact';

/**
 * `GET /contracts/:namespace/:name`: each output port of a DataProduct with
 * its contract's read status and the versions seen, newest first, each with
 * its changes from the one before and the version bump they need.
 */
export function createContractsRouter(options: {
  contracts: ContractService;
  impact: ContractImpact;
  /** Largest contract, in bytes; bounds the impact request body too. */
  maxSize: number;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}): express.Router {
  const router = Router();
  router.get('/contracts/:namespace/:name', async (req, res) => {
    const credentials = await authorizeRequest(
      options,
      req,
      dataMeshScorecardReadPermission,
      ['user', 'service'],
    );
    const ref = pathEntityRef({
      kind: 'dataproduct',
      namespace: req.params.namespace,
      name: req.params.name,
    });
    // The caller's credentials: a product they may not see is unknown to them.
    const entity = await options.catalog.getEntityByRef(ref, { credentials });
    if (!entity || entity.kind.toLocaleLowerCase('en-US') !== 'dataproduct') {
      throw new NotFoundError(`No data product ${ref} in the catalog`);
    }
    const body: ContractsResponse = {
      entityRef: ref,
      ports: await options.contracts.view(entity),
    };
    res.json(body);
  });

  // A contract as YAML text in JSON may double in size when escaped.
  const readJsonBody = jsonBodyReader(options.maxSize * 2 + 64 * 1024);
  const impactRequest = impactRequestSchema(options.maxSize);
  /**
   * `POST /contracts/impact`: the changes a proposed contract makes to a
   * port's current one, and the consumer products they break.
   */
  router.post('/contracts/impact', async (req, res) => {
    const credentials = await authorizeRequest(
      options,
      req,
      dataMeshScorecardReadPermission,
      ['user', 'service'],
    );
    const body = parseInput(
      impactRequest,
      (await readJsonBody(req, res)) ?? {},
      'body',
    );
    const entity = await options.catalog.getEntityByRef(body.entityRef, {
      credentials,
    });
    if (!entity || entity.kind.toLocaleLowerCase('en-US') !== 'dataproduct') {
      throw new NotFoundError(
        `No data product ${body.entityRef} in the catalog`,
      );
    }
    res.json(
      await options.impact.assess(
        entity,
        body.port,
        body.contract,
        credentials,
      ),
    );
  });
  return router;
}
