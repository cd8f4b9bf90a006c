import schema from './qualityResults.schema.json';

/**
 * JSON schema (draft-07) of the Quanta quality results format, for
 * pipelines that validate what they post.
 *
 * @public
 */
export const qualityResultsSchema: Record<string, unknown> = schema;
