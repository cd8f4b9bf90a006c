import type { AdoptionResponse } from '@quanta/plugin-data-mesh-common';

/** A share, 0 to 100, as a whole percentage. */
export const formatPercent = (value: number) => `${Math.round(value)}%`;

/**
 * The policies to draw: those failing for the most products now, else those
 * with the lowest pass rate on the latest day.
 */
export function worstPolicyIds(
  adoption: AdoptionResponse,
  count: number,
): string[] {
  const drawn = new Set(adoption.policies.map(p => p.policyId));
  const ids = adoption.topFailing
    .filter(item => item.failing > 0 && drawn.has(item.policyId))
    .map(item => item.policyId);
  if (ids.length >= count) {
    return ids.slice(0, count);
  }
  const latestRate = (days: Array<{ passRate: number }>) =>
    days.length ? days[days.length - 1].passRate : 100;
  const rest = adoption.policies
    .filter(p => !ids.includes(p.policyId) && latestRate(p.days) < 100)
    .sort((a, b) => latestRate(a.days) - latestRate(b.days))
    .map(p => p.policyId);
  return [...ids, ...rest].slice(0, count);
}
