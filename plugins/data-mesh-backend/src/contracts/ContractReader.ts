import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  type Entity,
} from '@backstage/catalog-model';
import { parseDocument } from 'yaml';
import {
  OfficialOdcsSchemas,
  type OfficialSchemaCheck,
} from './OfficialOdcsSchemas';

/** Why a contract could not be read. */
export type UnreadableReason =
  | 'not-found'
  | 'not-allowed'
  | 'too-large'
  | 'unsupported-location'
  | 'failed';

/** A parsed ODCS v3 contract: the fields this plugin relies on, and the rest as written. */
export type ContractDocument = {
  apiVersion: string;
  kind: 'DataContract';
  id: string;
  version: string;
  schema: unknown[];
  [key: string]: unknown;
};

/** The outcome of reading one output port's contract. */
export type ContractReadResult =
  | {
      status: 'ok';
      location: string;
      document: ContractDocument;
      /** sha256 of the file's bytes, hex. */
      digest: string;
      /** The check against the official ODCS schema: passed, or why it could not be made. */
      schemaCheck?: Extract<
        OfficialSchemaCheck,
        { status: 'passed' | 'unchecked' }
      >;
    }
  | {
      status: 'unreadable';
      location: string;
      reason: UnreadableReason;
      message: string;
    }
  | { status: 'invalid'; location: string; message: string };

/** Where a contract is read from: through the URL reader, or from disk. */
export type ResolvedLocation =
  | { type: 'url'; target: string }
  | { type: 'file'; target: string };

/** A location key split as the catalog writes it: `url:https://…`, `file:/…`. */
function splitLocationKey(key: string | undefined) {
  if (!key) return undefined;
  const at = key.indexOf(':');
  return at < 0
    ? undefined
    : { type: key.slice(0, at), target: key.slice(at + 1) };
}

const ABSOLUTE_HTTP = /^https?:\/\//i;

/**
 * Where an output port's contract lives. An absolute http(s) URL is taken as
 * it is; anything else is relative to the product's descriptor: to its
 * `backstage.io/source-location` when that is a `url:` (the repository the
 * descriptor came from), else to its `backstage.io/managed-by-location` (a
 * `url:` or `file:` descriptor). Throws with the reason when neither helps.
 */
export function resolveContractLocation(
  entity: Entity,
  location: string,
): ResolvedLocation {
  if (ABSOLUTE_HTTP.test(location)) return { type: 'url', target: location };
  if (/^[a-z][a-z0-9+.-]*:/i.test(location)) {
    throw new Error(
      `contract.location ${location}: only http(s) URLs or paths relative to the descriptor are read; use https://… or a relative path such as ../contracts/orders.odcs.yaml`,
    );
  }
  const annotations = entity.metadata.annotations ?? {};
  const source = splitLocationKey(annotations[ANNOTATION_SOURCE_LOCATION]);
  if (source?.type === 'url') {
    return { type: 'url', target: new URL(location, source.target).href };
  }
  const managed = splitLocationKey(annotations[ANNOTATION_LOCATION]);
  if (managed?.type === 'url') {
    return { type: 'url', target: new URL(location, managed.target).href };
  }
  if (managed?.type === 'file') {
    return {
      type: 'file',
      target: path.resolve(path.dirname(managed.target), location),
    };
  }
  throw new Error(
    `contract.location ${location} is relative, but the product has no url: or file: location to resolve it against; use an absolute https:// URL`,
  );
}

class TooLargeError extends Error {
  name = 'TooLargeError';
}

/** Reads a stream up to `maxSize` bytes; throws TooLargeError beyond. */
async function readBounded(stream: Readable, maxSize: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += buffer.length;
    if (size > maxSize) {
      stream.destroy();
      throw new TooLargeError(`larger than ${maxSize} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * One YAML (or JSON) document, as a contract is written: duplicate keys
 * refused, aliases bounded. `notYaml` says why it cannot be read.
 */
export function parseContractText(
  text: string,
): { document: unknown } | { notYaml: string } {
  const parsed = parseDocument(text, { uniqueKeys: true });
  if (parsed.errors.length) {
    return { notYaml: parsed.errors[0].message.split('\n')[0] };
  }
  try {
    return { document: parsed.toJS({ maxAliasCount: 100 }) };
  } catch (error) {
    return { notYaml: (error as Error).message };
  }
}

/**
 * The structural check of an ODCS v3 contract: the fields the version
 * history and the change comparison rely on. It is not validation against
 * the official ODCS JSON schema, which would mean shipping that schema with
 * the plugin; a contract that passes here may still break the standard in
 * fields this plugin does not read. Returns the problem, or undefined.
 */
export function odcsProblem(document: unknown): string | undefined {
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    return 'expected a YAML mapping with apiVersion, kind, id, version and schema, as the Open Data Contract Standard v3 writes them';
  }
  const doc = document as Record<string, unknown>;
  const nonEmpty = (value: unknown) =>
    typeof value === 'string' && value.trim() !== '';
  if (
    typeof doc.apiVersion !== 'string' ||
    !/^v3\.\d+\.\d+$/.test(doc.apiVersion)
  ) {
    return `apiVersion: found ${JSON.stringify(
      doc.apiVersion ?? null,
    )}, expected an ODCS v3 version such as v3.0.2 or v3.1.0`;
  }
  if (doc.kind !== 'DataContract') {
    return `kind: found ${JSON.stringify(
      doc.kind ?? null,
    )}, expected DataContract`;
  }
  if (!nonEmpty(doc.id)) {
    return 'id: missing; give the contract a stable identifier, such as a UUID, that stays the same across its versions';
  }
  if (typeof doc.version === 'number') {
    return `version: found the number ${doc.version}, expected a string; quote it, such as "1.0.0"`;
  }
  if (!nonEmpty(doc.version)) {
    return 'version: missing; give the contract version as a string, such as "1.0.0"';
  }
  if (!Array.isArray(doc.schema)) {
    return `schema: found ${
      doc.schema === undefined ? 'nothing' : typeof doc.schema
    }, expected a list of schema objects (tables, topics), each with a name and properties`;
  }
  return undefined;
}

/**
 * Reads output port contracts: resolves the location, reads at most
 * `maxSize` bytes (`url:` targets through the URL reader, so that
 * `backend.reading.allow` and the integrations apply; `file:` targets from
 * disk, as the catalog reads `file:` descriptors), parses one YAML document
 * and checks its structure. Never throws: every failure is a status with
 * its reason.
 */
export class ContractReader {
  constructor(
    private readonly options: {
      urlReader: UrlReaderService;
      maxSize: number;
      /** The official ODCS schemas; without them, the structural check only. */
      schemas?: OfficialOdcsSchemas;
    },
  ) {}

  async read(entity: Entity, location: string): Promise<ContractReadResult> {
    let resolved: ResolvedLocation;
    try {
      resolved = resolveContractLocation(entity, location);
    } catch (error) {
      return {
        status: 'unreadable',
        location,
        reason: 'unsupported-location',
        message: (error as Error).message,
      };
    }
    const where = resolved.target;
    let bytes: Buffer;
    try {
      bytes = await this.fetch(resolved);
    } catch (error) {
      const name = (error as Error)?.name;
      const detail = (error as Error)?.message ?? String(error);
      if (name === 'NotFoundError') {
        return {
          status: 'unreadable',
          location: where,
          reason: 'not-found',
          message: `Contract not found at ${where}; check contract.location in the descriptor`,
        };
      }
      if (name === 'NotAllowedError') {
        return {
          status: 'unreadable',
          location: where,
          reason: 'not-allowed',
          message: `Reading ${where} is not allowed; add its host to backend.reading.allow or configure an integration for it (${detail})`,
        };
      }
      if (name === 'TooLargeError') {
        return {
          status: 'unreadable',
          location: where,
          reason: 'too-large',
          message: `The contract at ${where} is ${detail}; keep it smaller or raise dataMesh.contracts.maxSize`,
        };
      }
      return {
        status: 'unreadable',
        location: where,
        reason: 'failed',
        message: `Could not read ${where}: ${detail}`,
      };
    }
    const parsed = parseContractText(bytes.toString('utf8'));
    if ('notYaml' in parsed) {
      return {
        status: 'invalid',
        location: where,
        message: `Not YAML: ${parsed.notYaml}`,
      };
    }
    const { document } = parsed;
    const problem = odcsProblem(document);
    if (problem) {
      return {
        status: 'invalid',
        location: where,
        message: `Not an ODCS v3 contract: ${problem}`,
      };
    }
    const contract = document as ContractDocument;
    const schemaCheck = await this.options.schemas?.check(contract);
    if (schemaCheck?.status === 'failed') {
      return {
        status: 'invalid',
        location: where,
        message: OfficialOdcsSchemas.describe(schemaCheck)!,
      };
    }
    return {
      status: 'ok',
      location: where,
      document: contract,
      digest: createHash('sha256').update(bytes).digest('hex'),
      ...(schemaCheck ? { schemaCheck } : {}),
    };
  }

  /**
   * The sha256 of the file a location names, or undefined when it cannot
   * be read: what a refresh compares with the last read before parsing and
   * validating a file again.
   */
  async digestOf(
    entity: Entity,
    location: string,
  ): Promise<string | undefined> {
    try {
      const bytes = await this.fetch(resolveContractLocation(entity, location));
      return createHash('sha256').update(bytes).digest('hex');
    } catch {
      return undefined;
    }
  }

  private async fetch(resolved: ResolvedLocation): Promise<Buffer> {
    const { maxSize } = this.options;
    if (resolved.type === 'file') {
      let size: number;
      try {
        size = (await fs.stat(resolved.target)).size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException)?.code === 'ENOENT') {
          const notFound = new Error(`${resolved.target} does not exist`);
          notFound.name = 'NotFoundError';
          throw notFound;
        }
        throw error;
      }
      if (size > maxSize) {
        throw new TooLargeError(`${size} bytes, over the ${maxSize} allowed`);
      }
      return fs.readFile(resolved.target);
    }
    const response = await this.options.urlReader.readUrl(resolved.target);
    // A stream stops at the bound; a reader without one has already
    // buffered the file, so the bound is checked after.
    if (response.stream) {
      try {
        return await readBounded(response.stream(), maxSize);
      } catch (error) {
        if (error instanceof TooLargeError) {
          throw new TooLargeError(`over the ${maxSize} bytes allowed`);
        }
        throw error;
      }
    }
    const buffer = await response.buffer();
    if (buffer.length > maxSize) {
      throw new TooLargeError(
        `${buffer.length} bytes, over the ${maxSize} allowed`,
      );
    }
    return buffer;
  }
}
