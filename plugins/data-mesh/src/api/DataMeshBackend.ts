import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';

/**
 * A failed request to the data mesh backend, with the server's message.
 *
 * @public
 */
export class DataMeshResponseError extends Error {
  /** HTTP status code of the failed response. */
  readonly statusCode: number;

  constructor(options: { name?: string; message: string; statusCode: number }) {
    super(options.message);
    this.name = options.name ?? 'ResponseError';
    this.statusCode = options.statusCode;
  }
}

/**
 * Reads Backstage's standard error body (`{ error: { name, message } }`),
 * falling back to the status line for proxies that answer with HTML.
 */
async function errorOf(response: Response): Promise<DataMeshResponseError> {
  let name: string | undefined;
  let message: string | undefined;
  try {
    const body = await response.json();
    if (typeof body?.error?.message === 'string') {
      message = body.error.message;
      name = typeof body.error.name === 'string' ? body.error.name : undefined;
    }
  } catch {
    // Not JSON; the status line is all there is.
  }
  const status = `${response.status}${
    response.statusText ? ` ${response.statusText}` : ''
  }`;
  return new DataMeshResponseError({
    name,
    message: message
      ? `Request failed with ${status}: ${message}`
      : `Request failed with ${status}`,
    statusCode: response.status,
  });
}

/** `kind/namespace/name`, lower-cased and encoded, for routes keyed by entity. */
export function entityPath(entityRef: string | CompoundEntityRef): string {
  const ref =
    typeof entityRef === 'string'
      ? parseEntityRef(entityRef, { defaultKind: 'dataproduct' })
      : entityRef;
  return [ref.kind, ref.namespace, ref.name]
    .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
    .join('/');
}

/** `?key=value&…` of the parameters that are set, or nothing. */
export function queryString(
  params: Record<string, string | number | undefined>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Options of {@link DataMeshBackend.send}. */
export type DataMeshRequestOptions = {
  /** Sent as JSON in a POST; without it the request is a GET. */
  body?: unknown;
  /**
   * Statuses other than 2xx that the caller reads itself, such as the 409
   * that carries an evaluation already under way.
   */
  accept?: number[];
};

/**
 * The one path of the data-mesh clients to the backend: the base URL from
 * discovery, the user's token through the fetch API, and a failed response
 * thrown as a {@link DataMeshResponseError} with the backend's message, so
 * every card shows a failure the same way.
 */
export class DataMeshBackend {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /** The response to a request; one not OK and not accepted is thrown. */
  async send(
    path: string,
    options: DataMeshRequestOptions = {},
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('data-mesh');
    const init: RequestInit | undefined =
      options.body === undefined
        ? undefined
        : {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(options.body),
          };
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok && !options.accept?.includes(response.status)) {
      throw await errorOf(response);
    }
    return response;
  }

  /** The JSON answer to a request. */
  async json<T>(path: string, options?: DataMeshRequestOptions): Promise<T> {
    return (await (await this.send(path, options)).json()) as T;
  }

  /**
   * The JSON answer, or `undefined` when the backend does not know what
   * `path` names (404).
   */
  async jsonOrUndefined<T>(path: string): Promise<T | undefined> {
    const response = await this.send(path, { accept: [404] });
    return response.status === 404 ? undefined : ((await response.json()) as T);
  }
}
