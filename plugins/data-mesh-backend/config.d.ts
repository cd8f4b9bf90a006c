import type { HumanDuration } from '@backstage/types';

export interface Config {
  /** Governance of the data mesh: policies, levels, schedule and history. */
  dataMesh?: {
    /**
     * Policies declared without code. Each has exactly one rule as data: `rule`,
     * a filter predicate over the entity that a passing product matches (for
     * example `{ 'spec.slos': { $exists: true } }`), or `schema`, a JSON Schema
     * the whole entity must satisfy. A domain scope adds the policy to that
     * domain's products only.
     */
    policies?: Array<{
      id: string;
      title: string;
      attribute:
        | 'discoverable'
        | 'addressable'
        | 'understandable'
        | 'trustworthy'
        | 'natively-accessible'
        | 'interoperable'
        | 'valuable-on-its-own'
        | 'secure'
        | 'ownership'
        | 'lifecycle';
      severity: 'info' | 'warning' | 'error';
      /** `global` (default) or a domain such as `domain:default/sales`. */
      scope?: string;
      rationale: string;
      howToFix: string;
      /**
       * A filter predicate the product entity must match.
       * @visibility backend
       */
      rule?: object;
      /**
       * A JSON Schema (draft 2020-12 unless `$schema` names 2019-09 or 07)
       * the whole product entity must satisfy. Checked at startup; the
       * message of a failing product names each place that fails and why.
       * @visibility backend
       */
      schema?: object;
      /** Only products matching this predicate are checked; others are not-applicable. */
      appliesTo?: object;
      /** The failure message of a `rule`; for a `schema`, put before what fails. */
      failMessage?: string;
    }>;
    /** The level ladder, lowest first: each level's policy ids. */
    levels?: Array<{ name: string; policies: string[] }>;
    evaluation?: {
      /**
       * How often the whole mesh is evaluated: `{ minutes: 30 }`, `'30m'` or
       * `'PT30M'`. Default: every 30 minutes.
       */
      frequency?: HumanDuration | string;
      /** Longest a run may take before another may start. Default: 10 minutes. */
      timeout?: HumanDuration | string;
      /**
       * How often the catalog is checked for products that changed since
       * their evaluation; those and the products reading from them are
       * re-evaluated at once. Default: every minute. `enabled: false` leaves
       * changes to the next full run.
       */
      changeDetection?: {
        enabled?: boolean;
        frequency?: HumanDuration | string;
      };
    };
    history?: {
      /** Days of daily snapshots, result changes, roll-ups and runs to keep. Default: 400. */
      retentionDays?: number;
    };
    /** Declared lineage (input ports) and observed lineage (OpenLineage events). */
    lineage?: {
      /**
       * Days after which a declared input that runs of the product no longer
       * read counts as stale. Default: 30.
       */
      staleAfterDays?: number;
      /** How old the in-memory lineage index may get before a query rebuilds it. Default: 5 minutes. */
      refresh?: HumanDuration | string;
      /** Largest OpenLineage request body, e.g. `10mb` (the default). */
      maxRequestSize?: string;
      /**
       * How an OpenLineage dataset (namespace + name) finds the output port
       * serving it, tried in order before the defaults. `namespace` and
       * `name` are regular expressions; `address` is a template with
       * `{namespace}`, `{name}`, `{namePath}` (dots as slashes) and capture
       * groups `{namespace.1}`, `{name.1}`.
       */
      mappings?: Array<{
        namespace?: string;
        name?: string;
        address: string;
        /**
         * Compare the address with output port addresses regardless of case.
         * Default: true for namespaces of systems whose names are
         * case-insensitive (snowflake, bigquery, postgres, mysql, redshift,
         * sqlserver, oracle, trino, presto, hive, databricks, athena, duckdb,
         * and the like), false otherwise.
         */
        ignoreCase?: boolean;
      }>;
      /** Also try `{namespace}/{name}` and the like after the rules. Default: true. */
      useDefaultMappings?: boolean;
    };
    /** Waivers granted through the API. */
    waivers?: {
      /**
       * How far ahead a waiver may expire, such as `{ months: 6 }` or `P6M`.
       * Default: 1 year.
       */
      maxDuration?: HumanDuration | string;
    };
    /** Access requests for output ports, their decisions, grants and expiry. */
    access?: {
      /**
       * Approve a request at once, without an approver, when the output port
       * is public (classification `public`) and holds no personal data.
       * Restricted, confidential, internal, unclassified and PII ports always
       * wait for an approver. Default: false.
       */
      autoApprovePublic?: boolean;
      /**
       * Let an approver approve a request they made themselves. Default:
       * false: another approver of the product decides, so that every grant
       * was seen by someone other than the one who uses it. Turn it on only
       * where products have a single approver (a demo, a one-person team).
       */
      allowSelfApproval?: boolean;
      /**
       * How far ahead the end date of a request may lie: `{ days: 90 }`,
       * `'90d'` or `'P90D'`. Default: 365 days.
       */
      maxDuration?: HumanDuration | string;
      /**
       * How often grants and revocations the provisioner failed are tried
       * again (each request waits 1 minute after its first failure, doubling
       * up to an hour). Default: every minute.
       */
      provisioningInterval?: HumanDuration | string;
      /** How often requests whose end date passed are expired. Default: every 15 minutes. */
      expiryInterval?: HumanDuration | string;
    };
    /** Quality results posted by pipelines, and the SLO status worked out from them. */
    quality?: {
      /** Days of quality runs and check results to keep. Default: 400. */
      retentionDays?: number;
      /** Largest body of `POST /quality/results`, in bytes. Default: 5 MB (5242880). */
      maxBodyBytes?: number;
      /**
       * Posts per caller (principal subject) and backend instance: a burst of
       * `requests`, refilled evenly over `perSeconds`. Default: 60 per 60 seconds.
       */
      rateLimit?: { requests?: number; perSeconds?: number };
      /**
       * Share of the 30-day window, in percent, during which a freshness,
       * interval-of-change or timeliness SLO must hold; sets their error
       * budget. Default: 99.
       */
      durationSloTarget?: number;
    };
    /** Output port contracts (ODCS v3), read on a schedule with their versions kept. */
    contracts?: {
      /**
       * How often every output port's contract is read again: `{ minutes: 10 }`,
       * `'10m'` or `'PT10M'`. Default: every 10 minutes.
       */
      refreshInterval?: HumanDuration | string;
      /** Largest contract file read, in bytes. Default: 1 MiB (1048576). */
      maxSize?: number;
      /**
       * Where the official ODCS JSON schemas are read from, through the URL
       * reader, `{version}` standing for the schema version (v3.0.2 for any
       * v3.0.x contract, v3.1.0, ...). Default: the Bitol project's
       * repository on GitHub. `false` checks the structure only.
       */
      officialSchemaUrl?: string | false;
      /**
       * How long a contract version must have been published with ODCS
       * `status: deprecated` before a version that breaks it, for
       * `quanta.contract-breaking-change-notice` (unless another output port
       * keeps serving the old major version): `{ days: 30 }`, `'30d'` or
       * `'P30D'`. Default: 30 days.
       */
      noticePeriod?: HumanDuration | string;
    };
  };
}
