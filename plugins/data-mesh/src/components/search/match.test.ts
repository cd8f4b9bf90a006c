import { readDataProductResult } from './document';
import {
  findPortMatches,
  highlightPieces,
  markedWords,
  matchOutputPorts,
  searchWords,
} from './match';
import { ordersDocument } from './testing';

const ports = readDataProductResult(ordersDocument()).outputPorts;

function best(term: string) {
  const [match] = matchOutputPorts(ports, term);
  return match
    ? { port: match.port.name, field: match.field?.name, on: match.on }
    : undefined;
}

function marked(value: string, term: string) {
  return highlightPieces(value, term)
    .map(piece => (piece.match ? `[${piece.text}]` : piece.text))
    .join('');
}

describe('searchWords', () => {
  it('keeps the words of a search, lower case, without query syntax', () => {
    expect(searchWords('  +Customer_ID  "orders" ship* x fresh~1  ')).toEqual([
      'customer_id',
      'orders',
      'ship',
      'fresh',
    ]);
  });
});

describe('matchOutputPorts', () => {
  it('finds the schema field a column name names', () => {
    expect(best('customer_email')).toEqual({
      port: 'orders-table',
      field: 'customer_email',
      on: 'field name',
    });
  });

  it('finds a field by the start of a word of its name, not the middle', () => {
    expect(best('customer')?.field).toBe('customer_email');
    expect(best('email')?.field).toBe('customer_email');
    expect(best('ustomer')).toBeUndefined();
  });

  it('finds a port by its address and by its contract', () => {
    expect(best('kafka://events/sales.orders.v1')).toEqual({
      port: 'order-events',
      field: undefined,
      on: 'address',
    });
    expect(best('odcs')).toEqual({
      port: 'orders-table',
      field: undefined,
      on: 'contract',
    });
  });

  it('puts the port or field matching more of the words first', () => {
    expect(best('avro events')?.port).toBe('order-events');
    expect(best('table order_id')?.field).toBe('order_id');
  });

  it('lists every port and field that matched', () => {
    expect(
      matchOutputPorts(ports, 'order').map(m => m.field?.name ?? m.port.name),
    ).toEqual(['order_id', 'orders-table', 'order-events']);
  });

  it('matches nothing for words no port or field has', () => {
    expect(matchOutputPorts(ports, 'invoice')).toEqual([]);
    expect(matchOutputPorts(ports, '')).toEqual([]);
    expect(matchOutputPorts(ports, 'a')).toEqual([]);
  });
});

describe('highlightPieces', () => {
  it('marks each word where it starts a word of the text', () => {
    expect(marked('Curated orders table of order events', 'order TABLE')).toBe(
      'Curated [order]s [table] of [order] events',
    );
    expect(marked('customer_email', 'email')).toBe('customer_[email]');
    expect(marked('reorder', 'order')).toBe('reorder');
  });

  it('marks the longer form of a plural search word', () => {
    expect(marked('orders and order_id', 'orders')).toBe(
      '[orders] and [order]_id',
    );
  });
});

describe('findPortMatches', () => {
  const highlight = {
    preTag: '<mark-1>',
    postTag: '</mark-1>',
    fields: {
      title: 'Orders',
      text: 'Fields: <mark-1>customer_email</mark-1> (string), order_id (string)',
    },
  };

  it('reads the words the engine marked', () => {
    expect(markedWords(highlight)).toEqual(['customer_email']);
    expect(markedWords(undefined)).toEqual([]);
  });

  it('looks for the words typed first', () => {
    const found = findPortMatches(ports, 'order_id', highlight);
    expect(found.term).toBe('order_id');
    expect(found.matches[0].field?.name).toBe('order_id');
  });

  it("uses the engine's marked words when the words typed are in no port or field", () => {
    // A near spelling, which Lunr finds and marks.
    const found = findPortMatches(ports, 'custmer_emial', highlight);
    expect(found.term).toBe('customer_email');
    expect(found.matches[0].field?.name).toBe('customer_email');
  });

  it('leaves out marked words that stand for none of the words typed', () => {
    // Lunr splits customer_id and marks `v2`, two edits from `id`, and the
    // `customer` of a port's address.
    const found = findPortMatches(ports, 'customer_id', {
      preTag: '<m>',
      postTag: '</m>',
      fields: {
        text: 'kafka://events/<m>sales</m>.orders.<m>v1</m> <m>customer</m>_email',
      },
    });
    expect(found.term).toBe('customer');
    expect(found.matches[0].field?.name).toBe('customer_email');
  });

  it('finds nothing when neither the words nor the highlight are in a port', () => {
    expect(findPortMatches(ports, 'invoice', undefined).matches).toEqual([]);
  });
});
