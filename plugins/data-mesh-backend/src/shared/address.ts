/**
 * Addresses compare without surrounding space and trailing slashes: quality
 * results and OpenLineage datasets find output ports by them.
 */
export function normalizeAddress(address: string): string {
  return address.trim().replace(/\/+$/, '');
}
