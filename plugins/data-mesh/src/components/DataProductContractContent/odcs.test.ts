import {
  contractDescription,
  contractObjects,
  contractSupport,
  statusInWords,
  valueWithUnit,
} from './odcs';

describe('reading a contract for display', () => {
  it('writes ODCS time units in words, singular for one', () => {
    expect(valueWithUnit(1, 'h')).toBe('1 hour');
    expect(valueWithUnit(15, 'm')).toBe('15 minutes');
    expect(valueWithUnit(3, 'Days')).toBe('3 days');
    expect(valueWithUnit(1, 'yr')).toBe('1 year');
    // Not a time unit it knows: as written.
    expect(valueWithUnit(99.9, 'percent')).toBe('99.9 percent');
    expect(valueWithUnit('P1D', undefined)).toBe('P1D');
  });

  it('flags PII from a tag or a custom property, and skips entries that are not objects', () => {
    const [object] = contractObjects({
      schema: [
        {
          name: 'customers',
          properties: [
            'not a property',
            {
              name: 'email',
              customProperties: [{ property: 'PII', value: true }],
            },
            { name: 'phone', tags: ['contact', 'pii'] },
            {
              name: 'country',
              customProperties: [{ property: 'pii', value: false }],
            },
          ],
        },
      ],
    });
    expect(object.properties.map(p => [p.name, p.pii])).toEqual([
      ['email', true],
      ['phone', true],
      ['country', false],
    ]);
  });

  it('reads a description written as one string, and support without a web link', () => {
    expect(contractDescription({ description: 'Orders.' })).toEqual([
      { label: 'Purpose', text: 'Orders.' },
    ]);
    expect(contractDescription({ description: 42 })).toEqual([]);
    expect(
      contractSupport({
        support: [
          {
            channel: 'data-sales@acme.example',
            url: 'mailto:data-sales@acme.example',
          },
          { tool: 'slack' },
        ],
      }),
    ).toEqual([
      expect.objectContaining({
        channel: 'data-sales@acme.example',
        url: undefined,
      }),
    ]);
  });

  it('explains an unreadable contract by its reason when the backend sent no message', () => {
    expect(
      statusInWords({
        port: 'p',
        status: 'unreadable',
        reason: 'not-found',
        versions: [],
      }),
    ).toEqual({
      label: 'Contract cannot be read',
      tone: 'error',
      detail: 'No contract at the declared location.',
    });
  });
});
