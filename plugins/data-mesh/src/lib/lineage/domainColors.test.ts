import {
  DARK_DOMAIN_COLORS,
  LIGHT_DOMAIN_COLORS,
  domainMarks,
} from './domainColors';

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map(i => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** CIELAB (D65) of a #rrggbb colour, for the distance between two colours. */
function lab(hex: string): [number, number, number] {
  const [r, g, b] = [1, 3, 5].map(i => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

const distance = (a: string, b: string) => {
  const [p, q] = [lab(a), lab(b)];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
};

// The six domains of the demo mesh, which once shared three colours.
const demoDomains = [
  'domain:default/customer',
  'domain:default/finance',
  'domain:default/marketing',
  'domain:default/product-analytics',
  'domain:default/sales',
  'domain:default/supply-chain',
];

describe('domain colours', () => {
  it.each([
    ['light', LIGHT_DOMAIN_COLORS, '#ffffff'],
    ['dark', DARK_DOMAIN_COLORS, '#424242'],
  ])(
    'are distinct and stand out on the %s theme’s paper',
    (_theme, palette, paper) => {
      for (const color of palette) {
        expect(contrast(color, paper)).toBeGreaterThanOrEqual(3);
      }
      for (let i = 0; i < palette.length; i++) {
        for (let j = i + 1; j < palette.length; j++) {
          expect(distance(palette[i], palette[j])).toBeGreaterThan(15);
        }
      }
    },
  );

  it('gives each domain of the demo mesh its own colour', () => {
    const markOf = domainMarks(demoDomains, 'light');
    const colors = demoDomains.map(d => markOf(d).color);
    expect(new Set(colors).size).toBe(demoDomains.length);
  });

  it('marks a domain the same in every view, whatever other domains it shows', () => {
    const onePage = domainMarks(demoDomains, 'light');
    const otherPage = domainMarks([...demoDomains].reverse(), 'light');
    // Views that meet the domains in different orders still agree.
    expect(otherPage('domain:default/supply-chain')).toEqual(
      onePage('domain:default/supply-chain'),
    );
    expect(otherPage('sales')).toEqual(onePage('domain:default/sales'));
    expect(onePage('Domain:default/Sales')).toEqual(
      onePage('domain:default/sales'),
    );
  });

  it('never marks two domains alike, however many the mesh has', () => {
    const many = Array.from(
      { length: 3 * LIGHT_DOMAIN_COLORS.length },
      (_, i) => `domain:default/d${String(i).padStart(2, '0')}`,
    );
    const markOf = domainMarks(many, 'light');
    const marks = many.map(d => JSON.stringify(markOf(d)));
    expect(new Set(marks).size).toBe(many.length);
    expect(markOf(many[LIGHT_DOMAIN_COLORS.length]).pattern).toBe('dashed');
    expect(markOf(many[2 * LIGHT_DOMAIN_COLORS.length]).pattern).toBe('double');
  });

  it('keeps domains the catalog does not list apart from the listed ones', () => {
    const markOf = domainMarks(demoDomains.slice(0, 2), 'light');
    const listed = demoDomains.slice(0, 2).map(d => markOf(d).color);
    const unlisted = markOf('domain:default/returns').color;
    expect(listed).not.toContain(unlisted);
    expect(markOf(undefined).color).toBe('#757575');
  });
});
