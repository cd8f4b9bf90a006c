import { ServiceUnavailableError } from '@backstage/errors';
import type { ErrorRequestHandler } from 'express';

/**
 * PostgreSQL's SQLSTATE codes for a database that is going away or not
 * there: class 08 (connection exceptions) and 57P01 to 57P03 (shut down by
 * an administrator, crashed, cannot connect now).
 */
const UNAVAILABLE_STATES = /^(08...|57P0[1-3])$/;

/** Node's codes for a connection the server refused, reset or let time out. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']);

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
      if (CONNECTION_CODES.has(e.code) && e.syscall === 'connect') return true;
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
 * Answers 503 instead of 500 while the database cannot be reached, so that
 * clients and load balancers retry; the backend's own error handler writes
 * the answer.
 */
export function databaseUnavailableHandler(): ErrorRequestHandler {
  return (error, _req, _res, next) => {
    next(
      isDatabaseUnavailable(error)
        ? new ServiceUnavailableError(
            'The data mesh database cannot be reached right now; try again shortly',
            error,
          )
        : error,
    );
  };
}
