import { render } from '@testing-library/react';
import { breakable } from './breakable';

describe('breakable', () => {
  it('lets an address wrap after its separators and nowhere else', () => {
    const { container } = render(
      <code>{breakable('iceberg://lake/sales/order_lines')}</code>,
    );
    const code = container.querySelector('code')!;
    // The text reads the same; a break opportunity follows each separator.
    expect(code.textContent).toBe('iceberg://lake/sales/order_lines');
    expect(code.innerHTML).toBe(
      'iceberg:<wbr>/<wbr>/<wbr>lake/<wbr>sales/<wbr>order_<wbr>lines',
    );
  });

  it('leaves a single word as it is', () => {
    expect(breakable('orders')).toBe('orders');
  });
});
