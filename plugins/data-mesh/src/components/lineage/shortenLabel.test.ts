import { shortenLabel } from './LineageGraphView';

describe('shortenLabel', () => {
  it('keeps labels that fit', () => {
    expect(shortenLabel('Orders', 20)).toBe('Orders');
  });

  it('cuts between words, so that every word shown is a word of the name', () => {
    expect(shortenLabel('Customer interactions history', 20)).toBe('Customer…');
    expect(shortenLabel('Marketing attribution model', 24)).toBe(
      'Marketing attribution…',
    );
    expect(shortenLabel('product-engagement-weekly', 20)).toBe(
      'product-engagement…',
    );
  });

  it('cuts inside a word only when the first word does not fit', () => {
    expect(shortenLabel('Supercalifragilisticexpialidocious', 12)).toBe(
      'Supercalifr…',
    );
  });
});
