import type { DataProductProblem } from './validator';
import { fieldPath } from './paths';

export { checkCatalogStorable } from './storable';

/**
 * The largest descriptor, as JSON, that {@link validateDataProduct} and the
 * catalog take by default: 512 KiB. The largest realistic descriptor, 200
 * output ports with a 12-field inline schema each, is about 290 KiB; the
 * demo mesh's largest is 2 KiB. Beyond that, wide schemas belong in the
 * port's contract document, and the catalog, its search index and every
 * entity page would carry the bulk.
 *
 * @public
 */
export const DEFAULT_MAX_DESCRIPTOR_SIZE = 512 * 1024;

/**
 * The deepest nesting of lists and objects a descriptor may have: 32 levels.
 * A DataProduct's own fields go 6 deep (the descriptor, `spec`,
 * `outputPorts`, a port, its `schema`, a field); 32 leaves room for nested
 * metadata while staying far below what recursive readers of an entity (the
 * catalog's JSON handling, the schema validator, YAML and JSON writers) take
 * before they run out of stack.
 *
 * @public
 */
export const DEFAULT_MAX_DESCRIPTOR_DEPTH = 32;

/**
 * Bounds on one descriptor, checked before anything else reads it.
 *
 * @public
 */
export type DescriptorLimits = {
  /** Largest size as JSON, in bytes. Default {@link DEFAULT_MAX_DESCRIPTOR_SIZE}. */
  maxSize?: number;
  /** Deepest nesting of lists and objects. Default {@link DEFAULT_MAX_DESCRIPTOR_DEPTH}. */
  maxDepth?: number;
};

/**
 * Annotations a catalog sets on an entity from the location it read it
 * from: the two `managed-by` ones always (replacing what a descriptor says),
 * the URL ones for descriptors read from a URL. They are not part of what
 * the author wrote, so {@link checkDescriptorLimits} does not count them:
 * a descriptor is measured the same in a CI job, in a template and in the
 * catalog, whatever the length of its file's path. Only string values of at
 * most {@link MAX_UNCOUNTED_ANNOTATION_SIZE} are left out; anything else
 * under these keys counts like any other field. Annotations that hold
 * nothing else, as a catalog adds them to a descriptor written without
 * any, are left out whole.
 *
 * @public
 */
export const CATALOG_LOCATION_ANNOTATIONS: readonly string[] = [
  'backstage.io/managed-by-location',
  'backstage.io/managed-by-origin-location',
  'backstage.io/view-url',
  'backstage.io/edit-url',
  'backstage.io/source-location',
];

/**
 * The largest value, in bytes of JSON, of an annotation of
 * {@link CATALOG_LOCATION_ANNOTATIONS} that is not counted: 4 KiB, twice
 * the longest URL browsers and source hosts commonly take. It bounds what
 * the exemption lets through to 20 KiB.
 *
 * @public
 */
export const MAX_UNCOUNTED_ANNOTATION_SIZE = 4 * 1024;

/**
 * A size in bytes as messages write it: 524288 is `512 KiB`.
 *
 * @public
 */
export function formatByteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] =
    bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : [bytes / 1024 / 1024, 'MiB'];
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}

/**
 * The problem of a descriptor larger than `maxSize` bytes as JSON, the limit
 * being passed at `path`, as {@link checkDescriptorLimits} reports it.
 *
 * @public
 */
export function descriptorTooLarge(
  path: string,
  maxSize: number,
): DataProductProblem {
  return {
    path,
    found: `a descriptor larger than ${formatByteSize(
      maxSize,
    )} as JSON, the limit being passed here`,
    expected: `a descriptor of at most ${formatByteSize(
      maxSize,
    )}: keep wide schemas in the port's contract document, and look for YAML aliases that repeat large parts`,
  };
}

/**
 * A field path as problems write it: `['spec', 'outputPorts', 0, 'type']`
 * is `spec.outputPorts[0].type`; keys that are not plain names are quoted
 * and escaped, and very deep paths keep their first and last segments.
 *
 * @public
 */
export function descriptorPath(
  segments: ReadonlyArray<string | number>,
): string {
  return fieldPath(segments) || '(descriptor)';
}

type Frame = {
  value: unknown;
  /** Lists and objects that hold this value (0 for the descriptor itself). */
  level: number;
  parent?: Frame;
  key?: string | number;
};

function pathOf(frame: Frame): string {
  const segments: Array<string | number> = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) {
    segments.push(f.key!);
  }
  return descriptorPath(segments.reverse());
}

/**
 * Bytes of a string as JSON (quotes and escapes included, UTF-8), as
 * {@link checkDescriptorLimits} counts them, counting no further than
 * `budget`: past it, the answer is only known to be over.
 *
 * @public
 */
export function jsonStringBytes(
  value: string,
  budget: number = Number.POSITIVE_INFINITY,
): number {
  if (value.length > budget) return value.length + 2;
  let bytes = 2;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20) {
      bytes += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6;
    } else if (c === 0x22 || c === 0x5c) bytes += 2;
    else if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 6; // a lone surrogate is written \udxxx
    } else if (c >= 0xdc00 && c <= 0xdfff) bytes += 6;
    else bytes += 3;
  }
  return bytes;
}

const omitted = (value: unknown) =>
  value === undefined ||
  typeof value === 'function' ||
  typeof value === 'symbol';

/** Whether a frame is the descriptor's `metadata.annotations`. */
const isAnnotations = (frame: Frame) =>
  frame.key === 'annotations' &&
  frame.parent?.key === 'metadata' &&
  frame.parent.parent !== undefined &&
  frame.parent.parent.parent === undefined;

const isUncountedAnnotation = (key: string, value: unknown) =>
  CATALOG_LOCATION_ANNOTATIONS.includes(key) &&
  typeof value === 'string' &&
  jsonStringBytes(value, MAX_UNCOUNTED_ANNOTATION_SIZE) <=
    MAX_UNCOUNTED_ANNOTATION_SIZE;

/** Whether a frame is the descriptor's `metadata`. */
const isMetadata = (frame: Frame) =>
  frame.key === 'metadata' &&
  frame.parent !== undefined &&
  frame.parent.parent === undefined;

/**
 * Annotations that hold only uncounted ones, which a catalog adds to a
 * descriptor written without any: not counted at all, braces and key
 * included, so that it measures as it was written.
 */
const onlyUncountedAnnotations = (value: unknown) => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const keys = Object.keys(value);
  return (
    keys.length > 0 &&
    keys.every(key =>
      isUncountedAnnotation(key, (value as Record<string, unknown>)[key]),
    )
  );
};

/**
 * Checks that a descriptor is no larger (as JSON) and no deeper than the
 * limits, walking it without recursion and stopping as soon as either is
 * passed: a YAML file of a few kilobytes whose aliases expand to a hundred
 * megabytes costs no more to refuse than the limit itself, and a reference
 * cycle is refused as too deep. The annotations a catalog sets from the
 * descriptor's location ({@link CATALOG_LOCATION_ANNOTATIONS}) are not
 * counted. Returns the problem, naming the path where the limit was passed,
 * or undefined.
 *
 * @public
 */
export function checkDescriptorLimits(
  entity: unknown,
  limits: DescriptorLimits = {},
): DataProductProblem | undefined {
  const maxSize = limits.maxSize ?? DEFAULT_MAX_DESCRIPTOR_SIZE;
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DESCRIPTOR_DEPTH;
  const tooLarge = (frame: Frame): DataProductProblem =>
    descriptorTooLarge(pathOf(frame), maxSize);
  const stack: Frame[] = [{ value: entity, level: 0 }];
  let bytes = 0;
  while (stack.length) {
    const frame = stack.pop()!;
    const value = frame.value;
    switch (typeof value) {
      case 'string':
        bytes += jsonStringBytes(value, maxSize - bytes);
        break;
      case 'number':
        bytes += Number.isFinite(value) ? String(value).length : 4;
        break;
      case 'boolean':
        bytes += value ? 4 : 5;
        break;
      case 'bigint':
        bytes += String(value).length;
        break;
      case 'object': {
        if (value === null) {
          bytes += 4;
          break;
        }
        const level = frame.level + 1;
        if (level > maxDepth) {
          return {
            path: pathOf(frame),
            found: `lists and objects nested more than ${maxDepth} levels deep`,
            expected: `at most ${maxDepth} levels of nesting (a DataProduct's own fields go 6 deep); look for a YAML anchor that refers to itself`,
          };
        }
        if (Array.isArray(value)) {
          // Brackets and commas first, so a list of millions of items is
          // refused before any of them is looked at.
          bytes += 2 + Math.max(0, value.length - 1);
          if (bytes > maxSize) return tooLarge(frame);
          for (let i = value.length - 1; i >= 0; i--) {
            const item = value[i];
            if (omitted(item)) bytes += 4; // written as null
            else stack.push({ value: item, level, parent: frame, key: i });
          }
        } else {
          bytes += 2;
          let members = 0;
          const keys = Object.keys(value);
          const children: Frame[] = [];
          const annotations = isAnnotations(frame);
          const metadata = isMetadata(frame);
          for (const key of keys) {
            const item = (value as Record<string, unknown>)[key];
            if (omitted(item)) continue;
            if (annotations && isUncountedAnnotation(key, item)) continue;
            if (
              metadata &&
              key === 'annotations' &&
              onlyUncountedAnnotations(item)
            ) {
              continue;
            }
            if (members++ > 0) bytes += 1;
            bytes += jsonStringBytes(key, maxSize - bytes) + 1;
            if (bytes > maxSize) {
              return tooLarge({ value: item, level, parent: frame, key });
            }
            children.push({ value: item, level, parent: frame, key });
          }
          for (let i = children.length - 1; i >= 0; i--)
            stack.push(children[i]);
        }
        break;
      }
      default:
        break;
    }
    if (bytes > maxSize) return tooLarge(frame);
  }
  return undefined;
}
