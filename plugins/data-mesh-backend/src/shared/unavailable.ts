import { ServiceUnavailableError } from '@backstage/errors';
import type { ErrorRequestHandler } from 'express';

/**
 * PostgreSQL's SQLSTATE codes for a database that is going away or not
 * there: class 08 (connection exceptions) and 57P01 to 57P03 (shut down by
 * an administrator, crashed, cannot connect now).
 */
const UNAVAILABLE_STATES = /^(08...|57P0[1-3])$/;

/** Node's codes for a connection the server refused, reset or let time out. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
]);

/**
 * Socket calls those codes count for: opening the connection, and reading or
 * writing on an open one, which a server stopping resets before it can say
 * why (pg then reports `read ECONNRESET` rather than 57P01).
 */
const SOCKET_CALLS = new Set(['connect', 'read', 'write']);

/** Messages of pg and knex when the connection or the pool is gone. */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^Knex: Timeout acquiring a connection/,
  /^Unable to acquire a connection/,
  /^Client has encountered a connection error/,
];

/**
 * Whether an error says the database cannot be reached right now (as when
 * PostgreSQL restarts), rather than that the request or the code is wrong.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (typeof e !== 'object') return false;
    if (typeof e.code === 'string') {
      if (UNAVAILABLE_STATES.test(e.code)) return true;
      if (CONNECTION_CODES.has(e.code) && SOCKET_CALLS.has(e.syscall)) {
        return true;
      }
    }
    if (e.name === 'KnexTimeoutError') return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (UNAVAILABLE_MESSAGES.some(pattern => pattern.test(message))) {
      return true;
    }
  }
  return false;
}

/**
 * The status of a call this plugin made to another plugin (the catalog) that
 * failed for reasons of that plugin, not of the request: a server error, or a
 * 401 to this plugin's own service token, which a plugin answers when it
 * cannot read the keys that verify it (its database is unreachable). A 403 or
 * 404 is an answer about the request and passes through.
 */
export function failedDependencyStatus(error: unknown): number | undefined {
  const e = error as any;
  if (e?.name !== 'ResponseError') return undefined;
  const status = Number(e.statusCode ?? e.response?.status);
  return status === 401 || status >= 500 ? status : undefined;
}

/**
 * Answers 503 instead of 500 while the database cannot be reached, or while
 * the catalog cannot answer for the same reason, so that clients and load
 * balancers retry; the backend's own error handler writes the answer.
 */
export function databaseUnavailableHandler(): ErrorRequestHandler {
  return (error, _req, _res, next) => {
    if (isDatabaseUnavailable(error)) {
      next(
        new ServiceUnavailableError(
          'The data mesh database cannot be reached right now; try again shortly',
          error,
        ),
      );
      return;
    }
    const status = failedDependencyStatus(error);
    if (status !== undefined) {
      next(
        new ServiceUnavailableError(
          `The catalog could not answer the data mesh right now (it answered ${status}); try again shortly`,
          error,
        ),
      );
      return;
    }
    next(error);
  };
}
