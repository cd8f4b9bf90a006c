import {
  attributeLabel,
  attributesOf,
  bySeverity,
  formatScore,
  levelLabel,
  orderedLevels,
  scoreColor,
} from './format';

describe('governance helpers', () => {
  it('names attributes in words', () => {
    expect(attributeLabel('natively-accessible')).toBe('natively accessible');
    expect(attributeLabel('valuable-on-its-own')).toBe('valuable on its own');
  });

  it('lists present attributes in the canonical order', () => {
    expect(
      attributesOf({ secure: 1, discoverable: 2 }, { ownership: 0 }),
    ).toEqual(['discoverable', 'secure', 'ownership']);
  });

  it('rounds scores and marks missing ones', () => {
    expect(formatScore(62.5)).toBe('63');
    expect(formatScore(undefined)).toBe('–');
  });

  it('sorts errors before warnings before info', () => {
    expect(
      (['info', 'error', undefined, 'warning'] as const)
        .slice()
        .sort(bySeverity),
    ).toEqual(['error', 'warning', 'info', undefined]);
  });

  it('orders levels along the ladder, none first and unknown last', () => {
    const ladder = [
      { name: 'Bronze', policies: [] },
      { name: 'Silver', policies: [] },
    ];
    expect(
      orderedLevels(ladder, { Silver: 1, Legacy: 2 }, { none: 3, Bronze: 0 }),
    ).toEqual(['none', 'Bronze', 'Silver', 'Legacy']);
    expect(levelLabel('none')).toBe('No level yet');
    expect(levelLabel(undefined)).toBe('No level yet');
    expect(levelLabel('Gold')).toBe('Gold');
  });

  it('colours scores from red to green', () => {
    expect(scoreColor(0)).toBe('hsl(0, 70%, 78%)');
    expect(scoreColor(100)).toBe('hsl(120, 70%, 78%)');
    expect(scoreColor(150)).toBe('hsl(120, 70%, 78%)');
  });
});
