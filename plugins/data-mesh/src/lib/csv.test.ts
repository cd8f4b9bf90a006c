import { csvField, downloadCsv, scorecardsToCsv, toCsv } from './csv';
import { policyIndex } from './governance';
import { samplePolicies, sampleSummary } from '../testing/governance';

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

describe('scorecardsToCsv', () => {
  it('writes one row per product with attributes, failing and blocking policies', () => {
    const csv = scorecardsToCsv(
      [
        sampleSummary(),
        sampleSummary({
          entityRef: 'dataproduct:default/customers',
          level: undefined,
          score: 20,
          owner: undefined,
          failing: [],
          nextLevel: undefined,
        }),
      ],
      policyIndex(samplePolicies),
    );
    const [header, orders, customers, extra] = csv.split('\r\n');

    expect(header).toBe(
      'entityRef,domain,owner,level,score,discoverable,addressable,understandable,trustworthy,natively-accessible,interoperable,valuable-on-its-own,secure,ownership,lifecycle,failingPolicies,nextLevel,blockingPolicies,evaluatedAt',
    );
    expect(orders).toBe(
      'dataproduct:default/orders,domain:default/sales,group:default/sales-data,Bronze,62.5,,,,40,,,,,100,,SLOs are declared; Every output port has an address,Silver,Every output port has an address; SLOs are declared,2026-11-20T10:00:00.000Z',
    );
    expect(customers).toBe(
      'dataproduct:default/customers,domain:default/sales,,none,20,,,,40,,,,,100,,,,,2026-11-20T10:00:00.000Z',
    );
    expect(extra).toBeUndefined();
  });

  it('falls back to policy ids and quotes titles with commas', () => {
    const csv = scorecardsToCsv(
      [sampleSummary({ failing: ['custom.rule'], nextLevel: undefined })],
      new Map([
        [
          'custom.rule',
          { ...samplePolicies[0], id: 'custom.rule', title: 'Owner, named' },
        ],
      ]),
    );
    expect(csv.split('\r\n')[1]).toContain(',"Owner, named",');
    expect(scorecardsToCsv([sampleSummary()]).split('\r\n')[1]).toContain(
      'quanta.slos-declared; quanta.output-port-address',
    );
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
