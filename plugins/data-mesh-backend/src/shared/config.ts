import { type Config, readDurationFromConfig } from '@backstage/config';
import { OFFICIAL_ODCS_SCHEMA_URL } from '../contracts/OfficialOdcsSchemas';
import { type HumanDuration, durationToMilliseconds } from '@backstage/types';

/**
 * Reads a duration under `key` in any form Backstage's own plugins accept:
 * an object such as `{ minutes: 30 }` (the form these keys always took), a
 * string such as `30m` or `2 hours`, or ISO 8601 such as `PT30M`. Returns
 * `fallback` when the key is absent; a value of another form stops the
 * backend at startup with the key and the accepted forms named.
 */
export function readDuration(
  config: Config,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  if (!config.has(key)) return fallback;
  let duration: HumanDuration;
  try {
    duration = readDurationFromConfig(config, { key });
  } catch (error) {
    throw new Error(
      `${key}: ${
        (error as Error).message
      }; expected a duration such as { minutes: 30 }, '30m' or 'PT30M'`,
    );
  }
  if (!(durationToMilliseconds(duration) > 0)) {
    throw new Error(
      `${key}: expected a duration longer than zero, such as { minutes: 30 }, '30m' or 'PT30M'`,
    );
  }
  return duration;
}

/** A duration in words: `{ years: 1 }` is `1 year`, `{ days: 1, hours: 12 }` `1 day 12 hours`. */
export function describeDuration(duration: HumanDuration): string {
  return (
    Object.entries(duration)
      .filter(([, n]) => typeof n === 'number' && n !== 0)
      .map(([unit, n]) => `${n} ${n === 1 ? unit.replace(/s$/, '') : unit}`)
      .join(' ') || '0 seconds'
  );
}

/** {@link readDuration} in milliseconds. */
export function readDurationMs(
  config: Config,
  key: string,
  fallback: HumanDuration,
): number {
  return durationToMilliseconds(readDuration(config, key, fallback));
}

/** A configured way from an OpenLineage dataset to an output port address. */
export type DatasetMappingConfig = {
  namespace?: RegExp;
  name?: RegExp;
  address: string;
  ignoreCase?: boolean;
};

/** Every `dataMesh.*` setting this plugin reads (policies and levels aside), with defaults applied. */
export type DataMeshConfig = {
  evaluation: {
    /** How often the whole mesh is evaluated. */
    frequency: HumanDuration;
    /** Longest a run may take before another may start. */
    timeout: HumanDuration;
    /** Re-evaluation of products changed in the catalog, between full runs. */
    changeDetection: { enabled: boolean; frequency: HumanDuration };
  };
  history: {
    /** Days of governance history (snapshots, changes, roll-ups, runs) kept. */
    retentionDays: number;
  };
  waivers: {
    /** How far ahead a waiver granted through the API may expire. */
    maxDuration: HumanDuration;
  };
  access: {
    /** Approve requests for public output ports without personal data at once. */
    autoApprovePublic: boolean;
    /** Let an approver approve a request they made themselves. */
    allowSelfApproval: boolean;
    /** How far ahead the end date of an access request may lie. */
    maxDuration: HumanDuration;
    /** How often failed provisioning of grants and revocations is retried. */
    provisioningInterval: HumanDuration;
    /** How often requests whose end date passed are expired. */
    expiryInterval: HumanDuration;
  };
  lineage: {
    /** Days after which a declared input that runs no longer read is stale. */
    staleAfterDays: number;
    /** How old the in-memory lineage graph may get before a query rebuilds it. */
    refreshAfterMs: number;
    /** Largest OpenLineage request body, as the JSON body parser reads it. */
    maxRequestSize: string;
    /** Configured mappings, tried before the built-in ones. */
    mappings: DatasetMappingConfig[];
    useDefaultMappings: boolean;
  };
  quality: {
    /** Days of quality runs and check results kept. */
    retentionDays: number;
    /** Largest body of `POST /quality/results`. */
    maxBodyBytes: number;
    /** Posts per caller: a burst of `requests`, refilled over `perSeconds`. */
    rateLimit: { requests: number; perSeconds: number };
    /** Share of the window, in percent, a duration SLO must hold. */
    durationSloTarget: number;
  };
  contracts: {
    /** How often every output port's contract is read again. */
    refreshInterval: HumanDuration;
    /** Largest contract file read, in bytes. */
    maxSize: number;
    /**
     * Where the official ODCS JSON schemas are read, `{version}` standing for
     * the schema version; undefined when the check is turned off.
     */
    officialSchemaUrl: string | undefined;
    /**
     * How long before a breaking contract version the version it breaks must
     * be published as deprecated, while consumers still read the port.
     */
    noticePeriod: HumanDuration;
  };
};

/** The notice consumers get of a breaking contract version, unless configured. */
export const DEFAULT_CONTRACT_NOTICE_PERIOD: HumanDuration = Object.freeze({
  days: 30,
});

function officialSchemaUrl(config: Config): string | undefined {
  const key = 'dataMesh.contracts.officialSchemaUrl';
  if (!config.has(key)) return OFFICIAL_ODCS_SCHEMA_URL;
  const value = config.get(key);
  if (value === false) return undefined;
  if (typeof value !== 'string' || !value.includes('{version}')) {
    throw new Error(
      `${key}: found ${JSON.stringify(
        value,
      )}, expected false or a URL with {version} where the schema version goes, such as ${OFFICIAL_ODCS_SCHEMA_URL}`,
    );
  }
  return value;
}

function positive(config: Config, key: string): number | undefined {
  const value = config.getOptionalNumber(key);
  if (value !== undefined && !(value > 0)) {
    throw new Error(`${key}: found ${value}, expected a number above 0`);
  }
  return value;
}

function percentage(config: Config, key: string): number | undefined {
  const value = config.getOptionalNumber(key);
  if (value !== undefined && !(value > 0 && value <= 100)) {
    throw new Error(
      `${key}: found ${value}, expected a percentage above 0 and at most 100`,
    );
  }
  return value;
}

function mappingsOf(config: Config): DatasetMappingConfig[] {
  const key = 'dataMesh.lineage.mappings';
  return (config.getOptionalConfigArray(key) ?? []).map((rule, index) => {
    const regex = (field: string) => {
      const source = rule.getOptionalString(field);
      if (source === undefined) return undefined;
      try {
        return new RegExp(source);
      } catch (error) {
        throw new Error(
          `${key}[${index}].${field}: ${(error as Error).message}`,
        );
      }
    };
    return {
      namespace: regex('namespace'),
      name: regex('name'),
      address: rule.getString('address'),
      ignoreCase: rule.getOptionalBoolean('ignoreCase'),
    };
  });
}

/**
 * Reads the plugin's settings once, at startup: every default lives here,
 * and a value out of range stops the backend with its key and what to put
 * there instead. Policies and levels are read by the policy engine's own
 * readers.
 */
export function readDataMeshConfig(config: Config): DataMeshConfig {
  return {
    evaluation: {
      frequency: readDuration(config, 'dataMesh.evaluation.frequency', {
        minutes: 30,
      }),
      timeout: readDuration(config, 'dataMesh.evaluation.timeout', {
        minutes: 10,
      }),
      changeDetection: {
        enabled:
          config.getOptionalBoolean(
            'dataMesh.evaluation.changeDetection.enabled',
          ) !== false,
        frequency: readDuration(
          config,
          'dataMesh.evaluation.changeDetection.frequency',
          { minutes: 1 },
        ),
      },
    },
    history: {
      retentionDays:
        config.getOptionalNumber('dataMesh.history.retentionDays') ?? 400,
    },
    waivers: {
      // An exemption is time-boxed; a year is the longest a team may put a
      // policy aside without asking again.
      maxDuration: readDuration(config, 'dataMesh.waivers.maxDuration', {
        years: 1,
      }),
    },
    access: {
      autoApprovePublic:
        config.getOptionalBoolean('dataMesh.access.autoApprovePublic') ?? false,
      // Four eyes by default: whoever uses a grant does not approve it alone.
      allowSelfApproval:
        config.getOptionalBoolean('dataMesh.access.allowSelfApproval') ?? false,
      // Time-boxed like a waiver: a grant is asked for again after a year.
      maxDuration: readDuration(config, 'dataMesh.access.maxDuration', {
        days: 365,
      }),
      provisioningInterval: readDuration(
        config,
        'dataMesh.access.provisioningInterval',
        { minutes: 1 },
      ),
      expiryInterval: readDuration(config, 'dataMesh.access.expiryInterval', {
        minutes: 15,
      }),
    },
    lineage: {
      staleAfterDays:
        config.getOptionalNumber('dataMesh.lineage.staleAfterDays') ?? 30,
      refreshAfterMs: readDurationMs(config, 'dataMesh.lineage.refresh', {
        minutes: 5,
      }),
      maxRequestSize:
        config.getOptionalString('dataMesh.lineage.maxRequestSize') ?? '10mb',
      mappings: mappingsOf(config),
      useDefaultMappings:
        config.getOptionalBoolean('dataMesh.lineage.useDefaultMappings') ??
        true,
    },
    quality: {
      retentionDays: positive(config, 'dataMesh.quality.retentionDays') ?? 400,
      maxBodyBytes:
        positive(config, 'dataMesh.quality.maxBodyBytes') ?? 5 * 1024 * 1024,
      rateLimit: {
        requests: positive(config, 'dataMesh.quality.rateLimit.requests') ?? 60,
        perSeconds:
          positive(config, 'dataMesh.quality.rateLimit.perSeconds') ?? 60,
      },
      durationSloTarget:
        percentage(config, 'dataMesh.quality.durationSloTarget') ?? 99,
    },
    contracts: {
      refreshInterval: readDuration(
        config,
        'dataMesh.contracts.refreshInterval',
        { minutes: 10 },
      ),
      maxSize: positive(config, 'dataMesh.contracts.maxSize') ?? 1024 * 1024,
      officialSchemaUrl: officialSchemaUrl(config),
      noticePeriod: readDuration(
        config,
        'dataMesh.contracts.noticePeriod',
        DEFAULT_CONTRACT_NOTICE_PERIOD,
      ),
    },
  };
}
