/**
 * Echoing what a descriptor holds into messages, status items and logs
 * without letting it forge lines, colour a terminal, reorder text or hide
 * characters, and without letting one value make a message of megabytes.
 */

/**
 * Characters an echoed value keeps at most, before `…`.
 *
 * @public
 */
export const MAX_ECHOED_LENGTH = 100;

// Controls (C0, DEL, C1), format characters (bidi controls, zero-width
// characters, soft hyphen, tags), line and paragraph separators, lone
// surrogates, spaces other than U+0020, and what Unicode says renders as
// nothing (variation selectors, Hangul fillers).
const UNSAFE =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}]|(?! )\p{Zs}/u;

// Bidi controls reorder the text around them (the "Trojan Source" trick).
const BIDI_CONTROLS = new Set([
  0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066,
  0x2067, 0x2068, 0x2069,
]);

/**
 * Names of the characters that are invisible or change how text around them
 * reads, for messages that must say which one a value holds.
 */
const NAMES: Record<number, string> = {
  0x00: 'NULL',
  0x08: 'BACKSPACE',
  0x09: 'CHARACTER TABULATION',
  0x0a: 'LINE FEED',
  0x0b: 'LINE TABULATION',
  0x0c: 'FORM FEED',
  0x0d: 'CARRIAGE RETURN',
  0x1b: 'ESCAPE',
  0x7f: 'DELETE',
  0x85: 'NEXT LINE',
  0x9b: 'CONTROL SEQUENCE INTRODUCER',
  0xa0: 'NO-BREAK SPACE',
  0xad: 'SOFT HYPHEN',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x061c: 'ARABIC LETTER MARK',
  0x115f: 'HANGUL CHOSEONG FILLER',
  0x1160: 'HANGUL JUNGSEONG FILLER',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x2000: 'EN QUAD',
  0x2001: 'EM QUAD',
  0x2002: 'EN SPACE',
  0x2003: 'EM SPACE',
  0x2007: 'FIGURE SPACE',
  0x2009: 'THIN SPACE',
  0x200a: 'HAIR SPACE',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x202f: 'NARROW NO-BREAK SPACE',
  0x205f: 'MEDIUM MATHEMATICAL SPACE',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x3000: 'IDEOGRAPHIC SPACE',
  0x3164: 'HANGUL FILLER',
  0xfe0f: 'VARIATION SELECTOR-16',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0xffa0: 'HALFWIDTH HANGUL FILLER',
};

/** Scripts whose letters pass for Latin ones (homoglyphs). */
const LOOKALIKE_SCRIPTS: Array<[RegExp, string]> = [
  [/\p{Script=Cyrillic}/u, 'a Cyrillic letter'],
  [/\p{Script=Greek}/u, 'a Greek letter'],
  [/\p{Script=Armenian}/u, 'an Armenian letter'],
  [/\p{Script=Cherokee}/u, 'a Cherokee letter'],
];

const hex = (codePoint: number) =>
  codePoint.toString(16).toUpperCase().padStart(4, '0');

/**
 * A character as a message names it: `U+200B ZERO WIDTH SPACE`,
 * `U+0430 (a Cyrillic letter)`, `a space`, or `"@"` for printable ASCII.
 *
 * @public
 */
export function describeCharacter(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  if (codePoint === 0x20) return 'a space';
  if (codePoint > 0x20 && codePoint < 0x7f) return JSON.stringify(character);
  const name = NAMES[codePoint];
  if (name) return `U+${hex(codePoint)} ${name}`;
  let kind: string;
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) {
    kind = 'a control character';
  } else if (BIDI_CONTROLS.has(codePoint)) {
    kind = 'a bidirectional control';
  } else if (UNSAFE.test(character)) {
    kind = 'an invisible character';
  } else if (codePoint >= 0xff01 && codePoint <= 0xff5e) {
    kind = 'a full-width form';
  } else {
    kind =
      LOOKALIKE_SCRIPTS.find(([script]) => script.test(character))?.[1] ??
      (/\p{L}/u.test(character)
        ? 'a non-ASCII letter'
        : 'a non-ASCII character');
  }
  return `U+${hex(codePoint)} (${kind})`;
}

/**
 * A value's text made safe to echo: control, format, bidi and invisible
 * characters become `\n`, `\r`, `\t` or `\u{...}` escapes (a backslash
 * doubles), and the result stops after about `maxLength` characters with
 * `…`. Nothing of the value can then end a log line, start a forged one,
 * send a terminal escape sequence or reorder the message around it.
 *
 * @public
 */
export function escapeText(
  value: string,
  maxLength: number = MAX_ECHOED_LENGTH,
): string {
  return escape(value, maxLength, false);
}

/**
 * A string value as messages quote it: `"..."`, escaped as by
 * {@link escapeText}, with inner quotes escaped too.
 *
 * @public
 */
export function quoteText(
  value: string,
  maxLength: number = MAX_ECHOED_LENGTH,
): string {
  return `"${escape(value, maxLength, true)}"`;
}

function escape(value: string, maxLength: number, quotes: boolean): string {
  let out = '';
  // Reads no further than the length kept, however long the value.
  for (const character of value) {
    if (out.length >= maxLength) return `${out}…`;
    if (quotes && character === '"') out += '\\"';
    else out += escapeCharacter(character);
  }
  return out;
}

function escapeCharacter(character: string): string {
  switch (character) {
    case '\\':
      return '\\\\';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default:
      return UNSAFE.test(character)
        ? `\\u{${hex(character.codePointAt(0) ?? 0)}}`
        : character;
  }
}

/**
 * The invisible, control and bidi characters of `value` (the first three
 * kinds, in order of appearance), named as {@link describeCharacter} does.
 */
export function invisibleCharacters(value: string): string[] {
  const found: string[] = [];
  const search = new RegExp(UNSAFE.source, 'gu');
  for (let match = search.exec(value); match; match = search.exec(value)) {
    if (!found.includes(match[0])) found.push(match[0]);
    if (found.length === 3) break;
  }
  return found.map(describeCharacter);
}

/**
 * True for a character a title must not hold: controls, line and paragraph
 * separators, bidi controls and the zero-width spaces. Joiners and variation
 * selectors stay allowed, as emoji and several scripts need them.
 */
export function isForbiddenInTitle(character: string): boolean {
  const codePoint = character.codePointAt(0) ?? 0;
  return (
    /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/u.test(character) ||
    BIDI_CONTROLS.has(codePoint) ||
    codePoint === 0x200b ||
    (codePoint >= 0x2060 && codePoint <= 0x2064) ||
    codePoint === 0xfeff ||
    codePoint === 0x115f ||
    codePoint === 0x1160 ||
    codePoint === 0x3164 ||
    codePoint === 0xffa0
  );
}
