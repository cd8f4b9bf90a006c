import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { dataMeshScorecardReadPermission } from '@quanta/plugin-data-mesh-common';
import express from 'express';
import Router from 'express-promise-router';
import { authorizeRequest } from '../shared/authorize';
import { pathEntityRef } from '../shared/http';
import type { ContractService } from './ContractService';

/**
 * `GET /contracts/:namespace/:name`: each output port of a DataProduct with
 * its contract's read status and the versions seen, newest first, each with
 * its changes from the one before and the version bump they need.
 */
export function createContractsRouter(options: {
  contracts: ContractService;
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
    res.json({
      entityRef: ref,
      ports: await options.contracts.view(entity),
    });
  });
  return router;
}
