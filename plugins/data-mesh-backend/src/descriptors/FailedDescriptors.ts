import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import type {
  FailedDescriptor,
  FailedDescriptorsResponse,
} from '@quanta/plugin-data-mesh-common';
import type { DescriptorConflicts } from './DescriptorConflicts';

/** An entry of the catalog's `GET /entities/unprocessed/{failed,pending}`. */
type UnprocessedEntry = {
  location_key?: string | null;
  /** When the catalog last read the file: an ISO date, or `YYYY-MM-DD HH:MM:SS` in UTC on SQLite. */
  last_discovery_at?: string | null;
  unprocessed_entity?: {
    kind?: unknown;
    metadata?: { name?: unknown; namespace?: unknown };
    spec?: { owner?: unknown };
  };
  errors?: Array<{ name?: unknown; message?: unknown }>;
};

const STATES = ['failed', 'pending'] as const;

const text = (value: unknown) =>
  typeof value === 'string' ? value : undefined;

/** An owner as a full, lower-case ref (`sales-data` is `group:default/sales-data`), to compare. */
export function ownerKey(owner: string, namespace = 'default'): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: namespace,
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return owner.toLocaleLowerCase('en-US');
  }
}

/** A catalog timestamp as ISO 8601, or undefined when it is none. */
export function catalogTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  // SQLite's CURRENT_TIMESTAMP: UTC without a zone.
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value)
    ? `${value.replace(' ', 'T')}Z`
    : value;
  const time = Date.parse(iso);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}

/**
 * DataProduct descriptors the catalog refused, read from Backstage's own
 * unprocessed entities module (`@backstage/plugin-catalog-backend-module-unprocessed`)
 * on behalf of the user asking, so that the catalog's permissions apply.
 * Pending entries without errors are still on their way, not refused. With
 * the second declarations of served products the catalog ignores
 * (`conflicts`), which need no module.
 */
export class FailedDescriptors {
  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      conflicts?: DescriptorConflicts;
      fetch?: typeof fetch;
    },
  ) {}

  async list(
    credentials: BackstageCredentials,
    filter: { owner?: string; entityRef?: string } = {},
  ): Promise<FailedDescriptorsResponse> {
    const { discovery, auth } = this.options;
    const fetchFn = this.options.fetch ?? fetch;
    const base = await discovery.getBaseUrl('catalog');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'catalog',
    });
    const items: FailedDescriptor[] = [];
    const wanted = filter.owner ? ownerKey(filter.owner) : undefined;
    const wantedRef = filter.entityRef?.toLocaleLowerCase('en-US');
    const keep = (item: FailedDescriptor) =>
      (!wanted ||
        (item.owner && ownerKey(item.owner, item.namespace) === wanted)) &&
      (!wantedRef ||
        `dataproduct:${item.namespace}/${item.name}`.toLocaleLowerCase(
          'en-US',
        ) === wantedRef);
    const conflicts = this.options.conflicts
      ? (await this.options.conflicts.list(credentials, filter)).filter(keep)
      : [];
    for (const state of STATES) {
      const response = await fetchFn(`${base}/entities/unprocessed/${state}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (response.status === 404) {
        return {
          available: false,
          reason:
            'The catalog lists no unprocessed entities: add @backstage/plugin-catalog-backend-module-unprocessed to the backend',
          items: conflicts,
        };
      }
      if (response.status === 401 || response.status === 403) {
        throw new NotAllowedError(
          'Not allowed to read the catalog’s unprocessed entities (catalog-unprocessed-entities.read)',
        );
      }
      if (!response.ok) {
        throw new ServiceUnavailableError(
          `The catalog answered ${response.status} for its unprocessed entities`,
        );
      }
      const body = (await response.json()) as { entities?: UnprocessedEntry[] };
      for (const entry of body.entities ?? []) {
        const item = toDescriptor(entry, state);
        if (item && keep(item)) items.push(item);
      }
    }
    items.push(...conflicts);
    items.sort(
      (a, b) =>
        (a.owner ?? '').localeCompare(b.owner ?? '') ||
        a.name.localeCompare(b.name),
    );
    return { available: true, items };
  }
}

function toDescriptor(
  entry: UnprocessedEntry,
  state: FailedDescriptor['state'],
): FailedDescriptor | undefined {
  const entity = entry.unprocessed_entity;
  const kind = text(entity?.kind);
  // The kind in any case: a wrong-case kind is one of the refusals.
  if (!kind || kind.toLocaleLowerCase('en-US') !== 'dataproduct') {
    return undefined;
  }
  const errors = (entry.errors ?? []).map(error => ({
    name: text(error?.name) ?? 'Error',
    message: text(error?.message) ?? '',
  }));
  if (!errors.length) return undefined;
  const owner = text(entity?.spec?.owner);
  const location = text(entry.location_key);
  const lastTriedAt = catalogTime(entry.last_discovery_at);
  return {
    name: text(entity?.metadata?.name) ?? '(no name)',
    namespace: text(entity?.metadata?.namespace) ?? 'default',
    kind,
    ...(owner ? { owner } : {}),
    ...(location ? { location } : {}),
    state,
    ...(lastTriedAt ? { lastTriedAt } : {}),
    errors,
  };
}
