import { InputError } from '@backstage/errors';
import express from 'express';
import {
  FULL_ENTITY_REF_PATTERN,
  entityRefKey,
} from '@quanta/plugin-data-mesh-common';
import { z } from 'zod';

function pathOf(base: string, path: PropertyKey[]): string {
  let out = base;
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  }
  return out;
}

/**
 * Validates with zod, or throws one InputError (400) naming the path of each
 * problem, e.g. `body.results[3].status: expected one of pass, fail`.
 */
export function parseInput<T>(
  schema: z.ZodType<T>,
  value: unknown,
  where: string,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 20).map(issue => {
    return `${pathOf(where, issue.path)}: ${issue.message}`;
  });
  const more = result.error.issues.length - problems.length;
  throw new InputError(
    problems.join('; ') + (more > 0 ? `; and ${more} more problems` : ''),
  );
}

const ENTITY_REF_MESSAGE =
  'expected an entity reference such as dataproduct:default/orders';

/**
 * An entity reference in a request, turned into the key the stores use
 * (lower-cased, see `entityRefKey`).
 */
export const entityRefInput = z
  .string({ error: ENTITY_REF_MESSAGE })
  .regex(new RegExp(FULL_ENTITY_REF_PATTERN), ENTITY_REF_MESSAGE)
  .transform(ref => entityRefKey(ref));

/** `limit` and `offset` of a paged list, as query parameters. */
export const pageQuery = {
  limit: z.coerce
    .number({ error: 'expected a whole number from 1 to 1000' })
    .int('expected a whole number from 1 to 1000')
    .min(1, 'expected a whole number from 1 to 1000')
    .max(1000, 'expected a whole number from 1 to 1000')
    .optional(),
  offset: z.coerce
    .number({ error: 'expected a whole number, 0 or more' })
    .int('expected a whole number, 0 or more')
    .min(0, 'expected a whole number, 0 or more')
    .optional(),
};

/** The entity a `/:kind/:namespace/:name` route names, as a store key. */
export function pathEntityRef(params: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  return parseInput(
    entityRefInput,
    `${params.kind}:${params.namespace}/${params.name}`,
    'path',
  );
}

/**
 * A reader of JSON bodies up to `limit` (express's `100kb` by default),
 * built once per router. Routes call it after checking the caller, so that a
 * refused caller costs no parsing however large the body it sends.
 */
export function jsonBodyReader(
  limit?: string | number,
): (req: express.Request, res: express.Response) => Promise<unknown> {
  const parse = express.json(limit === undefined ? {} : { limit });
  return (req, res) =>
    new Promise((resolve, reject) =>
      parse(req, res, error => (error ? reject(error) : resolve(req.body))),
    );
}
