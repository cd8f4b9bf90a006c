import { describeBudget, formatMinutes } from './format';

describe('quality helpers', () => {
  it('words error budgets', () => {
    expect(formatMinutes(432)).toBe('7 h 12 min');
    expect(formatMinutes(14_040)).toBe('9 d 18 h');
    expect(formatMinutes(0)).toBe('0 min');
    expect(
      describeBudget({
        target: 99,
        unit: 'minutes',
        total: 10,
        allowed: 0.1,
        used: 0,
        remaining: 0.1,
      }),
    ).toBe('Error budget: none spent in 30 days');
    expect(
      describeBudget({
        target: 99,
        unit: 'runs',
        total: 200,
        allowed: 2,
        used: 1,
        remaining: 1,
      }),
    ).toBe(
      'Error budget: 1 of the 2 failing runs the 99% target allows in 30 days; 1 left',
    );
  });
});
