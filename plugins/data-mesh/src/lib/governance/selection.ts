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

/**
 * The selection as query parameters (`?products=all`, `?level=Gold`,
 * `?domain=domain:default/sales&attribute=secure`), so that a drill-down
 * is in the page's address: Back from a product returns to it, and it can
 * be shared.
 */
export function selectionToParams(
  selection: Selection | undefined,
): Record<string, string> {
  switch (selection?.kind) {
    case 'all':
      return { products: 'all' };
    case 'level':
      return { level: selection.level };
    case 'domain':
      return selection.attribute
        ? { domain: selection.domain, attribute: selection.attribute }
        : { domain: selection.domain };
    default:
      return {};
  }
}

/** The selection a page address names, if any (see {@link selectionToParams}). */
export function selectionFromParams(
  params: URLSearchParams,
): Selection | undefined {
  const level = params.get('level');
  const domain = params.get('domain');
  if (level) return { kind: 'level', level };
  if (domain) {
    const attribute = params.get('attribute');
    return attribute
      ? { kind: 'domain', domain, attribute: attribute as PolicyAttribute }
      : { kind: 'domain', domain };
  }
  if (params.get('products') === 'all') return { kind: 'all' };
  return undefined;
}
