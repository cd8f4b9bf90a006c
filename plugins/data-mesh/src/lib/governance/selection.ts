import type { PolicyAttribute } from '@quanta/plugin-data-mesh-common';
import { shortRef } from '../format';
import { attributeLabel } from './format';

/** Which products the drill-down lists. */
export type Selection =
  | { kind: 'all' }
  | { kind: 'domain'; domain: string; attribute?: PolicyAttribute }
  | { kind: 'level'; level: string };

/** The drill-down's title. */
export function describeSelection(selection: Selection): string {
  switch (selection.kind) {
    case 'domain':
      return selection.attribute
        ? `Data products in ${shortRef(selection.domain)}, by ${attributeLabel(
            selection.attribute,
          )}`
        : `Data products in ${shortRef(selection.domain)}`;
    case 'level':
      return selection.level === 'none'
        ? 'Data products without a level'
        : `Data products at level ${selection.level}`;
    default:
      return 'All data products';
  }
}

/** The name of the drill-down's CSV download, dated today. */
export function selectionCsvFileName(selection: Selection): string {
  const day = new Date().toISOString().slice(0, 10);
  let what = 'all';
  if (selection.kind === 'domain') {
    what = shortRef(selection.domain).replace(/[^a-z0-9-]+/gi, '-');
  } else if (selection.kind === 'level') {
    what = `level-${selection.level.replace(/[^a-z0-9-]+/gi, '-')}`;
  }
  return `data-products-${what}-${day}.csv`;
}
