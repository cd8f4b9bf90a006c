/** Labels, scores, levels and colours of the governance views. */

import type {
  LevelDefinition,
  PolicyAttribute,
  PolicyDescription,
  PolicySeverity,
} from '@quanta/plugin-data-mesh-common';
import { POLICY_ATTRIBUTES } from '@quanta/plugin-data-mesh-common';

/** `natively-accessible` reads as "natively accessible". */
export function attributeLabel(attribute: string): string {
  return attribute.replace(/-/g, ' ');
}

/** The attributes present in a score map, in the canonical order. */
export function attributesOf(
  ...scores: Array<Partial<Record<PolicyAttribute, number>>>
): PolicyAttribute[] {
  return POLICY_ATTRIBUTES.filter(attribute =>
    scores.some(score => typeof score[attribute] === 'number'),
  );
}

/** Scores are shares, 0 to 100; whole numbers read best. */
export function formatScore(score: number | undefined): string {
  return typeof score === 'number' && Number.isFinite(score)
    ? String(Math.round(score))
    : '–';
}

const SEVERITY_RANK: Record<PolicySeverity, number> = {
  error: 0,
  warning: 1,
  info: 2,
};

/** Sorts errors first, then warnings, then info; unknown last. */
export function bySeverity(
  a: PolicySeverity | undefined,
  b: PolicySeverity | undefined,
): number {
  return (a ? SEVERITY_RANK[a] ?? 3 : 3) - (b ? SEVERITY_RANK[b] ?? 3 : 3);
}

/** The level name shown for `none`, the bucket below the first level. */
export const NO_LEVEL = 'none';

export function levelLabel(level: string | undefined): string {
  return !level || level === NO_LEVEL ? 'No level yet' : level;
}

/**
 * Level names of a distribution in ladder order, lowest first, with `none`
 * first and levels unknown to the ladder (renamed since) last.
 */
export function orderedLevels(
  ladder: LevelDefinition[],
  ...distributions: Array<Record<string, number>>
): string[] {
  const seen = new Set(distributions.flatMap(d => Object.keys(d)));
  const names = [NO_LEVEL, ...ladder.map(level => level.name)];
  const extra = [...seen].filter(name => !names.includes(name)).sort();
  return [...names.filter(name => seen.has(name)), ...extra];
}

/** Policy descriptions by id. */
export function policyIndex(
  policies: PolicyDescription[] | undefined,
): Map<string, PolicyDescription> {
  return new Map((policies ?? []).map(policy => [policy.id, policy]));
}

/** Red below 50, amber below 80, green from 80: the same bands everywhere. */
export function scoreBand(score: number): 'low' | 'medium' | 'high' {
  if (score < 50) {
    return 'low';
  }
  return score < 80 ? 'medium' : 'high';
}

/**
 * A fill for a score, from red (0) through amber (50) to green (100), light
 * enough for dark text on it.
 */
export function scoreColor(score: number): string {
  const clamped = Math.max(0, Math.min(100, score));
  const hue = (clamped / 100) * 120;
  return `hsl(${Math.round(hue)}, 70%, 78%)`;
}

/** A distinct colour per level, by its place on the ladder. */
export function levelColor(level: string, ladder: LevelDefinition[]): string {
  if (level === NO_LEVEL) {
    return '#9e9e9e';
  }
  const palette = [
    '#a1887f',
    '#90a4ae',
    '#ffb300',
    '#26a69a',
    '#5c6bc0',
    '#ab47bc',
  ];
  const index = ladder.findIndex(l => l.name === level);
  return palette[(index < 0 ? ladder.length : index) % palette.length];
}
