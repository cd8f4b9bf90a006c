import {
  CATALOG_LOCATION_ANNOTATIONS,
  MAX_UNCOUNTED_ANNOTATION_SIZE,
  checkDescriptorLimits,
  descriptorTooLarge,
  jsonStringBytes,
} from './limits';
import { validateDataProduct } from './validator';
import { hostileBaseProduct } from '../testUtils';

const bytes = (value: unknown) =>
  new TextEncoder().encode(JSON.stringify(value)).length;

/** The base product grown by a label to exactly `size` bytes of JSON. */
function productOfSize(size: number, prepare: (e: any) => void = () => {}) {
  const product = hostileBaseProduct('sized');
  prepare(product);
  product.metadata.labels = { fill: '' };
  product.metadata.labels.fill = 'x'.repeat(size - bytes(product));
  expect(bytes(product)).toBe(size);
  return product;
}

describe('checkDescriptorLimits', () => {
  it('takes a descriptor of exactly the limit and refuses one byte more', () => {
    expect(checkDescriptorLimits(productOfSize(4096), { maxSize: 4096 })).toBe(
      undefined,
    );
    // One byte over is passed at the last value counted.
    expect(
      checkDescriptorLimits(productOfSize(4097), { maxSize: 4096 }),
    ).toEqual(descriptorTooLarge('spec.waivers[0].expires', 4096));
  });

  it('names the field during which the limit is passed', () => {
    expect(
      checkDescriptorLimits(productOfSize(5000), { maxSize: 4096 }),
    ).toEqual(descriptorTooLarge('metadata.labels.fill', 4096));
  });

  it('does not count the annotations a catalog adds from the file location', () => {
    const product = productOfSize(4096, e => (e.metadata.annotations = {}));
    for (const key of CATALOG_LOCATION_ANNOTATIONS) {
      product.metadata.annotations[
        key
      ] = `url:https://git.example.com/${'very/long/path/'.repeat(
        50,
      )}catalog-info.yaml`;
    }
    expect(bytes(product)).toBeGreaterThan(4096 + 5 * 700);
    expect(checkDescriptorLimits(product, { maxSize: 4096 })).toBeUndefined();
    expect(validateDataProduct(product, { maxSize: 4096 })).toEqual([]);
  });

  it('measures a descriptor written without annotations the same once a catalog adds them', () => {
    const product = productOfSize(4096);
    expect(product.metadata.annotations).toBeUndefined();
    product.metadata.annotations = {
      'backstage.io/managed-by-location': 'file:/repo/catalog-info.yaml',
      'backstage.io/managed-by-origin-location': 'file:/repo/all.yaml',
    };
    expect(checkDescriptorLimits(product, { maxSize: 4096 })).toBeUndefined();
    // Any other annotation beside them counts, and so do their braces.
    product.metadata.annotations['example.com/a'] = '';
    expect(checkDescriptorLimits(product, { maxSize: 4096 })).toBeDefined();
  });

  it('counts those annotations when they are too long or not text, and the same keys elsewhere', () => {
    const long = productOfSize(4096);
    long.metadata.annotations = {
      'backstage.io/source-location': 'x'.repeat(MAX_UNCOUNTED_ANNOTATION_SIZE),
    };
    expect(checkDescriptorLimits(long, { maxSize: 4096 })?.path).toBe(
      'metadata.annotations["backstage.io/source-location"]',
    );

    const object = productOfSize(4096);
    object.metadata.annotations = {
      'backstage.io/view-url': { a: 'x'.repeat(100) },
    };
    expect(checkDescriptorLimits(object, { maxSize: 4096 })).toBeDefined();

    const elsewhere = productOfSize(4096);
    elsewhere.spec.annotations = {
      'backstage.io/managed-by-location': 'x'.repeat(100),
    };
    expect(checkDescriptorLimits(elsewhere, { maxSize: 4096 })).toBeDefined();
  });

  it('leaves out at most the largest value it allows, and counts the rest', () => {
    const exact = 'x'.repeat(MAX_UNCOUNTED_ANNOTATION_SIZE - 2);
    expect(jsonStringBytes(exact)).toBe(MAX_UNCOUNTED_ANNOTATION_SIZE);
    const product = productOfSize(4096, e => (e.metadata.annotations = {}));
    product.metadata.annotations['backstage.io/edit-url'] = exact;
    expect(checkDescriptorLimits(product, { maxSize: 4096 })).toBeUndefined();
    product.metadata.annotations['backstage.io/edit-url'] += 'x';
    expect(checkDescriptorLimits(product, { maxSize: 4096 })).toBeDefined();
  });
});

describe('jsonStringBytes', () => {
  it.each([
    ['plain', 'orders'],
    ['escapes', 'a"b\\c\n\t\u0001'],
    ['UTF-8', 'Übersicht 注文 📦'],
    ['lone surrogate', 'a\ud800b'],
  ])('counts %s text as JSON writes it', (_name, text) => {
    expect(jsonStringBytes(text)).toBe(bytes(text));
  });
});
