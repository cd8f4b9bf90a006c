import { Fragment, type ReactNode } from 'react';

/**
 * Text such as an address or a path, with line-break opportunities after
 * its separators (`/`, `.`, `_`, `-`, `:`, `?`, `&`, `=`), so that in a
 * narrow column it wraps between its parts, not inside a word. Pair it with
 * `overflow-wrap: break-word`, which breaks inside a part only when one part
 * alone is wider than the column.
 */
export function breakable(text: string): ReactNode {
  const parts = text.split(/(?<=[/._:?&=-])/);
  if (parts.length < 2) return text;
  return parts.map((part, i) => (
    <Fragment key={i}>
      {part}
      {i < parts.length - 1 && <wbr />}
    </Fragment>
  ));
}
