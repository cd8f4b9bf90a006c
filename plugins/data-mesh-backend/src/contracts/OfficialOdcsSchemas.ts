import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';

/**
 * Where the official ODCS JSON schemas are read from, `{version}` standing
 * for the schema version: the Bitol project's repository, through the URL
 * reader (the GitHub integration, or any mirror a portal allows in
 * `backend.reading.allow`).
 */
export const OFFICIAL_ODCS_SCHEMA_URL =
  'https://github.com/bitol-io/open-data-contract-standard/blob/main/schema/odcs-json-schema-{version}.json';

/** How long a schema that could not be read is not asked for again. */
const RETRY_AFTER_MS = 10 * 60 * 1000;

/** The later schema that lists the v3.0 line among its apiVersions. */
const ALSO_ACCEPTED_BY = 'v3.1.0';

/** At most this many schema errors are named in a message. */
const MAX_ERRORS = 5;

/** The outcome of checking one contract against the official schema. */
export type OfficialSchemaCheck =
  | {
      status: 'passed';
      schema: string;
      /** Passed under a later schema that accepts the contract's version, not its own. */
      warning?: string;
    }
  | { status: 'failed'; schema: string; errors: string[] }
  | { status: 'unchecked'; schema?: string; message: string };

/**
 * The schema version a contract is checked with: the v3.0 line with its
 * last patch (v3.0.2, which only fixes the earlier ones), any other version
 * with its own.
 */
export function officialSchemaVersion(apiVersion: string): string {
  return /^v3\.0\.\d+$/.test(apiVersion) ? 'v3.0.2' : apiVersion;
}

type Compiled = ReturnType<Ajv2019['compile']>;

/**
 * Checks contracts against the official ODCS JSON schema of their
 * apiVersion. The schemas are not shipped with the plugin: they are read
 * once per backend from `urlTemplate` and kept in memory. Where one cannot
 * be read (no network, a host not allowed) the contract is `unchecked`,
 * saying why, and the schema is asked for again after ten minutes; the
 * structural check still applies.
 */
export class OfficialOdcsSchemas {
  private readonly compiled = new Map<string, Promise<Compiled>>();
  private readonly failedAt = new Map<
    string,
    { at: number; message: string }
  >();
  private readonly ajv: Ajv2019;

  constructor(
    private readonly options: {
      urlReader: UrlReaderService;
      urlTemplate: string;
      logger: LoggerService;
      now?: () => number;
    },
  ) {
    // strict: false, as the official schemas use keywords Ajv's strict mode
    // refuses (examples beside $ref); allErrors, to name every problem.
    this.ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(this.ajv);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async check(document: { apiVersion: string }): Promise<OfficialSchemaCheck> {
    const own = await this.checkWith(
      officialSchemaVersion(document.apiVersion),
      document,
    );
    // The v3.1.0 schema lists v3.0.x among the apiVersions it accepts, and
    // the standard's own v3.0.2 examples use fields only it defines (a team
    // with members, timestamp and time types): such a contract passes, with
    // a warning naming what v3.0.2 refuses, as the generated repository's
    // CI (.quanta/check_contracts.py) has it.
    if (own.status !== 'failed' || !/^v3\.0\.\d+$/.test(document.apiVersion)) {
      return own;
    }
    const later = await this.checkWith(ALSO_ACCEPTED_BY, document);
    if (later.status !== 'passed') return own;
    return {
      status: 'passed',
      schema: ALSO_ACCEPTED_BY,
      warning: `Valid under the official ODCS ${ALSO_ACCEPTED_BY} schema, which accepts ${
        document.apiVersion
      } contracts, but not under ${own.schema}: ${own.errors
        .slice(0, MAX_ERRORS)
        .join('; ')}; raise apiVersion to ${ALSO_ACCEPTED_BY} to clear this`,
    };
  }

  private async checkWith(
    schema: string,
    document: { apiVersion: string },
  ): Promise<OfficialSchemaCheck> {
    const failed = this.failedAt.get(schema);
    if (failed && this.now() - failed.at < RETRY_AFTER_MS) {
      return { status: 'unchecked', schema, message: failed.message };
    }
    let validate: Compiled;
    try {
      validate = await this.load(schema);
    } catch (error) {
      this.compiled.delete(schema);
      const url = this.urlOf(schema);
      const message = `Not checked against the official ODCS ${schema} schema: it could not be read from ${url} (${
        (error as Error)?.message ?? error
      }); allow that host in backend.reading.allow, or point dataMesh.contracts.officialSchemaUrl at a copy the backend can read`;
      this.failedAt.set(schema, { at: this.now(), message });
      this.options.logger.warn(message);
      return { status: 'unchecked', schema, message };
    }
    this.failedAt.delete(schema);
    if (validate(document)) return { status: 'passed', schema };
    // A wrong value also fails the `if`/`then` around it and leaves its
    // siblings "unevaluated": name the cause first, the echoes after.
    const echo = (keyword: string) =>
      keyword === 'unevaluatedProperties' || keyword === 'if' ? 1 : 0;
    const sorted = [...(validate.errors ?? [])].sort(
      (a, b) => echo(a.keyword) - echo(b.keyword),
    );
    const errors = sorted.map(error => {
      const at = error.instancePath || '(the document)';
      const allowed =
        error.keyword === 'enum' && Array.isArray(error.params?.allowedValues)
          ? `: ${error.params.allowedValues.join(', ')}`
          : '';
      const extra =
        error.keyword === 'additionalProperties' ||
        error.keyword === 'unevaluatedProperties'
          ? ` (${
              error.params?.additionalProperty ??
              error.params?.unevaluatedProperty
            })`
          : '';
      return `${at}: ${error.message}${allowed}${extra}`;
    });
    return { status: 'failed', schema, errors: [...new Set(errors)] };
  }

  /** The check as one sentence, for a contract's status message. */
  static describe(check: OfficialSchemaCheck): string | undefined {
    if (check.status === 'failed') {
      const shown = check.errors.slice(0, MAX_ERRORS).join('; ');
      const more = check.errors.length - MAX_ERRORS;
      return `Not valid under the official ODCS ${
        check.schema
      } schema: ${shown}${more > 0 ? `; and ${more} more` : ''}`;
    }
    if (check.status === 'unchecked') return check.message;
    return check.warning;
  }

  private urlOf(schema: string): string {
    return this.options.urlTemplate.replace('{version}', schema);
  }

  private load(schema: string): Promise<Compiled> {
    let pending = this.compiled.get(schema);
    if (!pending) {
      pending = (async () => {
        const response = await this.options.urlReader.readUrl(
          this.urlOf(schema),
        );
        const text = (await response.buffer()).toString('utf8');
        return this.ajv.compile(JSON.parse(text));
      })();
      this.compiled.set(schema, pending);
    }
    return pending;
  }
}
