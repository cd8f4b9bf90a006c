import { describeCharacter, escapeText, quoteText } from './text';

describe('escapeText', () => {
  it.each([
    ['line\nbreak', 'line\\nbreak'],
    ['cr\rlf', 'cr\\rlf'],
    ['tab\t', 'tab\\t'],
    ['\u001b[31mred', '\\u{001B}[31mred'],
    ['c1\u009b', 'c1\\u{009B}'],
    ['bidi\u202eevil', 'bidi\\u{202E}evil'],
    ['zero\u200bwidth', 'zero\\u{200B}width'],
    ['nbsp\u00a0x', 'nbsp\\u{00A0}x'],
    ['back\\slash', 'back\\\\slash'],
    ['lone \ud800 surrogate', 'lone \\u{D800} surrogate'],
    ['emoji 😀 and é', 'emoji 😀 and é'],
  ])('escapes %j', (value, escaped) => {
    expect(escapeText(value)).toBe(escaped);
  });

  it('cuts long values, reading no further than it keeps', () => {
    expect(escapeText('x'.repeat(10_000_000))).toBe(`${'x'.repeat(100)}…`);
    expect(escapeText('\u200b'.repeat(1000), 20).length).toBeLessThan(40);
    expect(escapeText('😀'.repeat(200), 10)).toBe(`${'😀'.repeat(5)}…`);
  });

  it('quotes with inner quotes escaped', () => {
    expect(quoteText('a"b')).toBe('"a\\"b"');
  });
});

describe('describeCharacter', () => {
  it.each([
    ['\u200b', 'U+200B ZERO WIDTH SPACE'],
    ['\u202e', 'U+202E RIGHT-TO-LEFT OVERRIDE'],
    ['\u0430', 'U+0430 (a Cyrillic letter)'],
    ['\u03bf', 'U+03BF (a Greek letter)'],
    ['\uff41', 'U+FF41 (a full-width form)'],
    ['\u0001', 'U+0001 (a control character)'],
    ['\u2064', 'U+2064 INVISIBLE PLUS'],
    ['\u206a', 'U+206A (an invisible character)'],
    ['é', 'U+00E9 (a non-ASCII letter)'],
    ['@', '"@"'],
    [' ', 'a space'],
  ])('names %j', (character, name) => {
    expect(describeCharacter(character)).toBe(name);
  });
});
