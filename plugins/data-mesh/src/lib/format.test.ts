import { formatDate, shortRef } from './format';

describe('shared format helpers', () => {
  it('shortens refs in the default namespace only', () => {
    expect(shortRef('domain:default/sales')).toBe('sales');
    expect(shortRef('domain:finance/ledger')).toBe('finance/ledger');
    expect(shortRef(undefined)).toBe('');
  });

  it('formats dates, keeping date-only values on their day', () => {
    expect(formatDate('2027-03-31')).toBe('31 Mar 2027');
    expect(formatDate('not a date')).toBe('not a date');
    expect(formatDate(undefined)).toBe('');
  });
});
