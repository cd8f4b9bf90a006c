import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type {
  QualityBreachesResponse,
  ScorecardListResponse,
} from '@quanta/plugin-data-mesh-common';

/** The plugin whose API serves scorecards and SLO status. */
const DATA_MESH_PLUGIN_ID = 'data-mesh';

/** The largest page `GET /scorecards` serves. */
const SCORECARD_PAGE = 1000;

/** A request that takes longer is given up; indexing goes on without it. */
const REQUEST_TIMEOUT_MS = 30_000;

/** What the data-mesh backend says of one product. */
export type Governance = {
  level?: string;
  score?: number;
};

/**
 * What the data-mesh backend says of the mesh, read once per indexing run.
 * A part is undefined when that part of its API could not be read.
 */
export type GovernanceSnapshot = {
  /** By lower-case entity ref; a product not in it was not evaluated yet. */
  scorecards?: Map<string, Governance>;
  /** SLOs breached now, by lower-case entity ref. */
  breaches?: Map<string, string[]>;
};

/**
 * Reads scorecards and SLO breaches from the data-mesh backend as the search
 * plugin's own service. Each part that fails is logged once, when it starts
 * failing (and once when it recovers), not on every run: a portal without
 * the data-mesh backend would otherwise warn every few minutes.
 */
export class GovernanceReader {
  readonly #auth: AuthService;
  readonly #discovery: DiscoveryService;
  readonly #logger: LoggerService;
  readonly #failing = new Set<string>();

  constructor(options: {
    auth: AuthService;
    discovery: DiscoveryService;
    logger: LoggerService;
  }) {
    this.#auth = options.auth;
    this.#discovery = options.discovery;
    this.#logger = options.logger;
  }

  async read(): Promise<GovernanceSnapshot> {
    let baseUrl: string;
    let token: string;
    try {
      baseUrl = await this.#discovery.getBaseUrl(DATA_MESH_PLUGIN_ID);
      ({ token } = await this.#auth.getPluginRequestToken({
        onBehalfOf: await this.#auth.getOwnServiceCredentials(),
        targetPluginId: DATA_MESH_PLUGIN_ID,
      }));
    } catch (error) {
      this.#failed('scorecards', error);
      this.#failed('SLO status', error);
      return {};
    }
    const get = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${baseUrl}${path}`, {
        headers: { Authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      if (!response.ok) {
        throw new Error(
          `GET ${path} answered ${response.status} ${response.statusText}`,
        );
      }
      return (await response.json()) as T;
    };
    const [scorecards, breaches] = await Promise.all([
      this.#part('scorecards', () => this.#readScorecards(get)),
      this.#part('SLO status', () => this.#readBreaches(get)),
    ]);
    return { scorecards, breaches };
  }

  async #readScorecards(
    get: <T>(path: string) => Promise<T>,
  ): Promise<Map<string, Governance>> {
    const scorecards = new Map<string, Governance>();
    for (let offset = 0; ; offset += SCORECARD_PAGE) {
      const page = await get<ScorecardListResponse>(
        `/scorecards?limit=${SCORECARD_PAGE}&offset=${offset}`,
      );
      if (!Array.isArray(page?.items)) {
        throw new Error('GET /scorecards answered without items');
      }
      for (const item of page.items) {
        if (typeof item?.entityRef !== 'string') continue;
        scorecards.set(item.entityRef.toLocaleLowerCase('en-US'), {
          // The API leaves level out below the first level; so does its
          // `level=none` filter.
          level: typeof item.level === 'string' ? item.level : 'none',
          score: typeof item.score === 'number' ? item.score : undefined,
        });
      }
      // A short page, or one that reaches totalItems (or a totalItems that
      // is not a number), is the last.
      if (
        page.items.length < SCORECARD_PAGE ||
        !(offset + page.items.length < page.totalItems)
      ) {
        return scorecards;
      }
    }
  }

  async #readBreaches(
    get: <T>(path: string) => Promise<T>,
  ): Promise<Map<string, string[]>> {
    const body = await get<QualityBreachesResponse>('/quality/breaches');
    if (!Array.isArray(body?.domains)) {
      throw new Error('GET /quality/breaches answered without domains');
    }
    const breaches = new Map<string, string[]>();
    for (const domain of body.domains) {
      for (const item of Array.isArray(domain?.items) ? domain.items : []) {
        if (typeof item?.entityRef !== 'string') continue;
        breaches.set(
          item.entityRef.toLocaleLowerCase('en-US'),
          (Array.isArray(item.breached) ? item.breached : [])
            .map(breach => breach?.slo)
            .filter((slo): slo is NonNullable<typeof slo> => !!slo),
        );
      }
    }
    return breaches;
  }

  async #part<T>(name: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      const value = await read();
      if (this.#failing.delete(name)) {
        this.#logger.info(
          `Data product search documents carry ${name} from the data-mesh backend again`,
        );
      }
      return value;
    } catch (error) {
      this.#failed(name, error);
      return undefined;
    }
  }

  #failed(name: string, error: unknown) {
    if (this.#failing.has(name)) return;
    this.#failing.add(name);
    this.#logger.warn(
      `Indexing data products without ${name}: the data-mesh backend could not be read (${
        error instanceof Error ? error.message : String(error)
      }); this is logged again only after it has been read successfully`,
    );
  }
}
