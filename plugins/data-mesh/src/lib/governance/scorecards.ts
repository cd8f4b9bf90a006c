import type {
  PolicyDescription,
  ScorecardSummary,
} from '@quanta/plugin-data-mesh-common';
import { POLICY_ATTRIBUTES } from '@quanta/plugin-data-mesh-common';
import type { DataMeshApi, ScorecardListQuery } from '../../api';
import { CsvValue, toCsv } from '../csv';
import { NO_LEVEL } from './format';

const PAGE_SIZE = 500;
/** Enough for any mesh; a bound so a runaway total cannot loop forever. */
const MAX_PRODUCTS = 20_000;

/** Every page of a scorecard list. */
export async function listAllScorecards(
  api: DataMeshApi,
  query: Omit<ScorecardListQuery, 'limit' | 'offset'>,
): Promise<ScorecardSummary[]> {
  const items: ScorecardSummary[] = [];
  for (;;) {
    const page = await api.listScorecards({
      ...query,
      limit: PAGE_SIZE,
      offset: items.length,
    });
    items.push(...page.items);
    if (
      page.items.length === 0 ||
      items.length >= page.totalItems ||
      items.length >= MAX_PRODUCTS
    ) {
      return items;
    }
  }
}

/**
 * The scorecards as CSV: one row per product with its level, score, a column
 * per attribute, the failing policies and what blocks the next level.
 */
export function scorecardsToCsv(
  items: ScorecardSummary[],
  policies: Map<string, PolicyDescription> = new Map(),
): string {
  const title = (id: string) => policies.get(id)?.title ?? id;
  const header: CsvValue[] = [
    'entityRef',
    'domain',
    'owner',
    'level',
    'score',
    ...POLICY_ATTRIBUTES,
    'failingPolicies',
    'nextLevel',
    'blockingPolicies',
    'evaluatedAt',
  ];
  const rows = items.map((item): CsvValue[] => [
    item.entityRef,
    item.domain,
    item.owner,
    item.level ?? NO_LEVEL,
    item.score,
    ...POLICY_ATTRIBUTES.map(attribute => item.attributes[attribute]),
    item.failing.map(title).join('; '),
    item.nextLevel?.name,
    item.nextLevel?.blocking.map(title).join('; '),
    item.evaluatedAt,
  ]);
  return toCsv([header, ...rows]);
}
