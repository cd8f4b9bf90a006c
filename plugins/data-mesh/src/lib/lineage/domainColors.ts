import { useMemo, type CSSProperties } from 'react';
import { useApiHolder } from '@backstage/core-plugin-api';
import { useTheme } from '@material-ui/core/styles';
import {
  catalogApiRef,
  type CatalogApi,
} from '@backstage/plugin-catalog-react';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { useAsync } from '../useAsync';

/**
 * Domain colours for a light background: distinct hues (every pair at least
 * 15 apart in CIELAB), each with at least 3:1 contrast on white, as WCAG asks
 * of graphics that carry meaning.
 */
export const LIGHT_DOMAIN_COLORS = [
  '#1565c0',
  '#c62828',
  '#2e7d32',
  '#e65100',
  '#6a1b9a',
  '#00796b',
  '#6d4c41',
  '#ad1457',
  '#827717',
  '#455a64',
];

/** The same hues, lighter, with at least 3:1 contrast on the dark theme's paper. */
export const DARK_DOMAIN_COLORS = [
  '#64b5f6',
  '#e57373',
  '#81c784',
  '#ffb74d',
  '#ce93d8',
  '#4db6ac',
  '#bcaaa4',
  '#f48fb1',
  '#dce775',
  '#e0e0e0',
];

/** Nodes without a domain, and sources outside the mesh. */
export const NO_DOMAIN_COLOR = '#757575';

/**
 * How a domain is marked: a colour, and past the palette's length a pattern
 * too (`solid`, then `dashed`, then `double`), so that no two domains of the
 * mesh look the same however many there are.
 */
export type DomainMark = {
  color: string;
  pattern: 'solid' | 'dashed' | 'double';
};

const PATTERNS: DomainMark['pattern'][] = ['solid', 'dashed', 'double'];

/** Short refs (`sales`, `domain:sales`) name `domain:default/sales`. */
export function normalizeDomainRef(ref: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'domain',
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return ref.toLocaleLowerCase('en-US');
  }
}

/**
 * Marks for every domain, by its place among all the mesh's domains in
 * sorted order, so that a domain has the same mark on every page whatever
 * subset of domains a view shows. Domains the list does not know (named by
 * a product but without an entity) follow, sorted, so they stay stable too.
 */
export function domainMarks(
  allDomains: string[],
  themeType: 'light' | 'dark',
): (domain: string | undefined) => DomainMark {
  const palette =
    themeType === 'dark' ? DARK_DOMAIN_COLORS : LIGHT_DOMAIN_COLORS;
  const known = [...new Set(allDomains.map(normalizeDomainRef))].sort();
  const index = new Map(known.map((ref, i) => [ref, i]));
  const extra: string[] = [];
  const mark = (i: number): DomainMark => ({
    color: palette[i % palette.length],
    pattern: PATTERNS[Math.floor(i / palette.length) % PATTERNS.length],
  });
  return domain => {
    if (!domain) return { color: NO_DOMAIN_COLOR, pattern: 'solid' };
    const ref = normalizeDomainRef(domain);
    let i = index.get(ref);
    if (i === undefined) {
      extra.push(ref);
      extra.sort();
      // Re-number the unknown ones in sorted order after the known ones.
      extra.forEach((r, k) => index.set(r, known.length + k));
      i = index.get(ref)!;
    }
    return mark(i);
  };
}

const domainLists = new WeakMap<CatalogApi, Promise<string[]>>();

function readDomains(catalog: CatalogApi): Promise<string[]> {
  let list = domainLists.get(catalog);
  if (!list) {
    list = catalog
      .getEntities({
        filter: { kind: 'Domain' },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      })
      .then(
        ({ items }) => items.map(entity => stringifyEntityRef(entity)),
        () => {
          // Without the list, domains are numbered as the views meet them.
          domainLists.delete(catalog);
          return [];
        },
      );
    domainLists.set(catalog, list);
  }
  return list;
}

/**
 * The mark of each domain for the current theme, the same on every page of
 * the portal: the catalog's Domain entities are read once per page load.
 */
export function useDomainMarks(): (domain: string | undefined) => DomainMark {
  // Optional: a view rendered without the catalog numbers domains as met.
  const catalog = useApiHolder().get(catalogApiRef);
  const themeType = useTheme().palette.type;
  const { value } = useAsync(
    async () => (catalog ? readDomains(catalog) : []),
    [catalog],
  );
  return useMemo(() => domainMarks(value ?? [], themeType), [value, themeType]);
}

/** A legend or heading swatch drawn like the domain's stripe. */
export function swatchStyle(mark: DomainMark): CSSProperties {
  switch (mark.pattern) {
    case 'dashed':
      return {
        background: `repeating-linear-gradient(to bottom, ${mark.color} 0 3px, transparent 3px 5px)`,
      };
    case 'double':
      return {
        background: 'transparent',
        borderLeft: `3px solid ${mark.color}`,
        borderRight: `3px solid ${mark.color}`,
        boxSizing: 'border-box',
      };
    default:
      return { background: mark.color };
  }
}
