import type { FailedDescriptor } from '@quanta/plugin-data-mesh-common';
import { refusedSummary } from './FailedDescriptorList';

const items = (refused: number, ignored: number): FailedDescriptor[] => [
  ...Array.from({ length: refused }, (_, i) => ({
    name: `refused-${i}`,
    namespace: 'default',
    kind: 'DataProduct',
    state: (i % 2 ? 'pending' : 'failed') as FailedDescriptor['state'],
    errors: [{ name: 'InputError', message: 'kind is not allowed' }],
  })),
  ...Array.from({ length: ignored }, (_, i) => ({
    name: 'orders',
    namespace: 'default',
    kind: 'DataProduct',
    location: `file:/repos/copy-${i}.yaml`,
    state: 'conflict' as const,
    entityRef: 'dataproduct:default/orders',
    servedLocation: 'file:/repos/orders.yaml',
    errors: [{ name: 'ConflictError', message: 'Declares …' }],
  })),
];

describe('refusedSummary', () => {
  it('counts refused descriptors, which have no page', () => {
    expect(refusedSummary(items(1, 0))).toBe(
      '1 data product descriptor was refused by the catalog and has no page; fix the file and the catalog reads it again.',
    );
    expect(refusedSummary(items(2, 0))).toBe(
      '2 data product descriptors were refused by the catalog and have no page; fix the file and the catalog reads it again.',
    );
  });

  it('counts ignored files apart: their product is served from another file', () => {
    expect(refusedSummary(items(0, 1))).toBe(
      '1 file declares a product already served from another file and is ignored; remove the product from one of the two files, or rename it there.',
    );
    expect(refusedSummary(items(0, 3))).toBe(
      '3 files declare products already served from other files and are ignored; remove the product from one of the two files, or rename it there.',
    );
  });

  it('says both when there are both', () => {
    expect(refusedSummary(items(2, 1))).toBe(
      '2 data product descriptors were refused by the catalog and have no page; 1 file declares a product already served from another file and is ignored.',
    );
    expect(refusedSummary(items(1, 2))).toBe(
      '1 data product descriptor was refused by the catalog and has no page; 2 files declare products already served from other files and are ignored.',
    );
  });
});
