import type { RootConfigService } from '@backstage/backend-plugin-api';
import { DEFAULT_MAX_DESCRIPTOR_SIZE } from '@quanta/plugin-data-mesh-common';

/** The config key of the size limit, as messages name it. */
export const MAX_DESCRIPTOR_SIZE_KEY = 'dataMesh.catalog.maxDescriptorSize';

/** The config key of the size limit of documents of other kinds. */
export const MAX_DOCUMENT_SIZE_KEY = 'dataMesh.catalog.maxDocumentSize';

/** Whether the module installs its catalog file parser. */
export const FILE_PARSER_KEY = 'dataMesh.catalog.fileParser';

/** Whether a catalog file with no entity is an error on its location. */
export const REPORT_EMPTY_FILES_KEY = 'dataMesh.catalog.reportEmptyFiles';

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 * 1024,
  mib: 1024 * 1024,
};

/**
 * A byte size as config writes it: a number of bytes, or `512kb`, `1mb`,
 * `1.5 MiB` (1kb is 1024 bytes, as Backstage's and Express's body limits
 * count). Undefined when it is neither.
 */
export function parseByteSize(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value > 0 ? value : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = UNITS[(match?.[2] || 'b').toLowerCase()];
  if (!match || !unit) return undefined;
  const bytes = Math.floor(Number(match[1]) * unit);
  return bytes > 0 ? bytes : undefined;
}

/** A size of config at `key`, or `fallback`; throws on a value that is no size. */
export function readByteSize(
  config: RootConfigService | undefined,
  key: string,
  fallback: number,
): number {
  const value = config?.getOptional(key);
  if (value === undefined) return fallback;
  const bytes = parseByteSize(value);
  if (bytes === undefined) {
    throw new Error(
      `Invalid ${key}: found ${JSON.stringify(
        value,
      )}, expected a positive number of bytes or a size such as '512kb' or '1mb'`,
    );
  }
  return bytes;
}

/** `dataMesh.catalog.maxDescriptorSize`, or the default; throws on a value that is no size. */
export function readMaxDescriptorSize(config?: RootConfigService): number {
  return readByteSize(
    config,
    MAX_DESCRIPTOR_SIZE_KEY,
    DEFAULT_MAX_DESCRIPTOR_SIZE,
  );
}
