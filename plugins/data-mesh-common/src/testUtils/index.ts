/**
 * Test utilities of the DataProduct kind: a corpus of hostile DataProduct
 * descriptors, for testing a catalog or a processor.
 *
 * @packageDocumentation
 */
export * from './hostileDescriptors';
