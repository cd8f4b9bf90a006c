import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type {
  BackendFeature,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import request from 'supertest';
import { dataMeshPlugin } from '../plugin';

type Headers = Record<string, string>;

/** A signed-in person: the caller of every read and of waivers and evaluations. */
export const asUser: Headers = {
  Authorization: mockCredentials.user.header('user:default/maria.silva'),
};

/** A pipeline posting with its static token; `subject` keeps rate limits apart. */
export const asPipeline = (subject = 'dbt-pipeline'): Headers => ({
  Authorization: mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(`external:${subject}`),
    targetPluginId: 'data-mesh',
  }),
});

/** A caller without credentials, which every route must refuse with 401. */
export const asAnonymous: Headers = {
  Authorization: mockCredentials.none.header(),
};

/**
 * Requests to the data mesh API: paths are relative to /api/data-mesh and
 * carry `headers` (the user's unless `as` names other credentials).
 */
export function dataMeshApi(
  server: Parameters<typeof request>[0],
  headers: Headers = asUser,
) {
  const url = (path: string) => `/api/data-mesh${path}`;
  return {
    get: (path: string) => request(server).get(url(path)).set(headers),
    // Without a body none is sent, so permission checks see a bare request.
    post: (path: string, body?: string | object) => {
      const req = request(server).post(url(path)).set(headers);
      return body === undefined ? req : req.send(body);
    },
    delete: (path: string) => request(server).delete(url(path)).set(headers),
    as: (other: Headers) => dataMeshApi(server, other),
  };
}

/** Asserts the 400 the API answers bad input with, and its message: equal to a string, or matching a pattern. */
export function expectBadRequest(
  response: request.Response,
  message: string | RegExp,
) {
  expect(response.status).toBe(400);
  if (typeof message === 'string') {
    expect(response.body.error.message).toBe(message);
  } else {
    expect(response.body.error.message).toMatch(message);
  }
}

/**
 * The config, with the official ODCS schemas turned off unless a test sets
 * where to read them: tests never reach the network.
 */
function offline(config: JsonObject): JsonObject {
  const dataMesh = (config.dataMesh ?? {}) as JsonObject;
  const contracts = (dataMesh.contracts ?? {}) as JsonObject;
  if ('officialSchemaUrl' in contracts) return config;
  return {
    ...config,
    dataMesh: {
      ...dataMesh,
      contracts: { ...contracts, officialSchemaUrl: false },
    },
  };
}

/**
 * Starts the data mesh plugin over a mock catalog of `entities` (or the given
 * catalog service) and `config`. Without `permission` every permission is
 * allowed; `features` adds modules and replaces further services.
 */
export async function startDataMeshBackend(options: {
  entities?: Entity[];
  catalog?: ServiceFactory;
  config?: JsonObject;
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  features?: Array<BackendFeature | ServiceFactory>;
}) {
  const { server } = await startTestBackend({
    features: [
      dataMeshPlugin,
      options.catalog ??
        catalogServiceMock.factory({ entities: options.entities ?? [] }),
      mockServices.rootConfig.factory({ data: offline(options.config ?? {}) }),
      ...(options.permission
        ? [mockServices.permissions.factory({ result: options.permission })]
        : []),
      ...(options.features ?? []),
    ],
  });
  return { server, api: dataMeshApi(server) };
}
