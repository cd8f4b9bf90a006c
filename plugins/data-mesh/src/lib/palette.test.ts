import { readableTextOn, relativeLuminance } from './palette';

const contrast = (a: string, b: string) => {
  const [hi, lo] = [relativeLuminance(a)!, relativeLuminance(b)!].sort(
    (x, y) => y - x,
  );
  return (hi + 0.05) / (lo + 0.05);
};

describe('readableTextOn', () => {
  it.each([
    // Status colours of Backstage's and Material's themes.
    '#1db954',
    '#4caf50',
    '#ff9800',
    '#ed6c02',
    '#9e9e9e',
    '#e53935',
    '#d32f2f',
    '#1565c0',
    '#fff',
    '#000',
  ])('picks text with at least 4.5:1 contrast on %s', background => {
    expect(
      contrast(readableTextOn(background), background),
    ).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps white on colours it cannot read', () => {
    expect(readableTextOn('rgb(0, 0, 0)')).toBe('#fff');
  });
});
