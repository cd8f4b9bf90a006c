import { csvField, downloadCsv, toCsv } from './csv';

describe('csvField', () => {
  it('leaves plain values alone', () => {
    expect(csvField('orders')).toBe('orders');
    expect(csvField(62.5)).toBe('62.5');
    expect(csvField(undefined)).toBe('');
    expect(csvField(null)).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
  });

  it('keeps spreadsheets from running text as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField(-1)).toBe('-1');
  });
});

describe('toCsv', () => {
  it('joins fields with commas and rows with CRLF', () => {
    expect(
      toCsv([
        ['a', 'b'],
        [1, 'x,y'],
      ]),
    ).toBe('a,b\r\n1,"x,y"');
  });
});

describe('downloadCsv', () => {
  it('hands a CSV blob to a download link and releases it', () => {
    const blobs: Blob[] = [];
    const createObjectURL = jest.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:csv';
    });
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicked: HTMLAnchorElement[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordClick(this: HTMLAnchorElement) {
        clicked.push(this);
      });

    downloadCsv('products.csv', 'a,b');

    expect(blobs[0].type).toBe('text/csv;charset=utf-8');
    expect(clicked[0].download).toBe('products.csv');
    expect(clicked[0].getAttribute('href')).toBe('blob:csv');
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:csv');
    expect(document.querySelector('a[download]')).toBeNull();
    click.mockRestore();
  });
});
