import type {
  BackstageCredentials,
  BackstagePrincipalTypes,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import type { Request } from 'express';

/** Throws 403 naming the permission unless the caller holds it. */
export async function requirePermission(
  permissions: PermissionsService,
  permission: BasicPermission,
  credentials: BackstageCredentials,
): Promise<void> {
  const [decision] = await permissions.authorize([{ permission }], {
    credentials,
  });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(`Not allowed: ${permission.name}`);
  }
}

/**
 * The permission check every route starts with: the caller's credentials, of
 * one of the `allow`ed principal types (401 otherwise), holding `permission`
 * (403 otherwise).
 */
export async function authorizeRequest<
  TAllowed extends keyof BackstagePrincipalTypes,
>(
  services: { httpAuth: HttpAuthService; permissions: PermissionsService },
  req: Request,
  permission: BasicPermission,
  allow: TAllowed[],
): Promise<BackstageCredentials<BackstagePrincipalTypes[TAllowed]>> {
  const credentials = await services.httpAuth.credentials(req, { allow });
  await requirePermission(services.permissions, permission, credentials);
  return credentials;
}
