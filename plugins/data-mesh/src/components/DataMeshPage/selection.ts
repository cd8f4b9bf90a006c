import type { PolicyAttribute } from '@quanta/plugin-data-mesh-common';

/** Which products the drill-down lists. */
export type Selection =
  | { kind: 'all' }
  | { kind: 'domain'; domain: string; attribute?: PolicyAttribute }
  | { kind: 'level'; level: string };
