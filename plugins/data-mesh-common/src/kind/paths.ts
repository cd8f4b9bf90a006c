import { quoteText } from '../shared/text';

/** Characters a field path keeps at most; longer ones lose middle segments. */
const MAX_PATH_LENGTH = 300;

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]{0,99}$/;

/**
 * `['spec', 'outputPorts', 0, 'type']` -> `spec.outputPorts[0].type`. Keys
 * that are not plain names are quoted and escaped (`metadata["a.b\n"]`), so
 * a key can neither pass for a path of its own nor break a line, and very
 * deep paths keep their first and last segments.
 */
export function fieldPath(segments: ReadonlyArray<string | number>): string {
  const parts = segments.map((segment, i) => {
    if (typeof segment === 'number' || /^\d{1,15}$/.test(segment)) {
      return `[${segment}]`;
    }
    if (PLAIN_KEY.test(segment)) return i === 0 ? segment : `.${segment}`;
    return `[${quoteText(segment, 60)}]`;
  });
  const path = parts.join('');
  if (path.length <= MAX_PATH_LENGTH) return path;
  let head = '';
  let first = 0;
  while (head.length + parts[first].length <= MAX_PATH_LENGTH / 2) {
    head += parts[first++];
  }
  let tail = '';
  let last = parts.length;
  while (
    last > first &&
    tail.length + parts[last - 1].length <= MAX_PATH_LENGTH / 2 - 20
  ) {
    tail = parts[--last] + tail;
  }
  return `${head}…(${last - first} more levels)…${tail}`;
}

/** `/spec/outputPorts/0/type` -> `['spec', 'outputPorts', '0', 'type']` */
export function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `spec.waivers[0]` + `reason` -> `spec.waivers[0].reason` */
export function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}
