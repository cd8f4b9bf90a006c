import { checkCatalogStorable } from './storable';
import { hostileBaseProduct } from '../testUtils';

const product = (change: (e: any) => void = () => {}) => {
  const entity = hostileBaseProduct();
  change(entity);
  return entity;
};

describe('checkCatalogStorable', () => {
  it('takes a valid product', () => {
    expect(checkCatalogStorable(product())).toBeUndefined();
  });

  it.each([
    [
      'a value',
      (e: any) => (e.spec.outputPorts[0].format = 'csv\u0000'),
      'spec.outputPorts[0].format',
      '"csv\\u{0000}", which has U+0000 NULL at character 4',
    ],
    [
      'a field name',
      (e: any) => (e.spec.slos['a\u0000'] = 1),
      'spec.slos["a\\u{0000}"]',
      'a field named "a\\u{0000}", which has U+0000 NULL at character 2',
    ],
    [
      'a list item',
      (e: any) => (e.metadata.tags = ['ok', '\u0000x']),
      'metadata.tags[1]',
      '"\\u{0000}x", which has U+0000 NULL at character 1',
    ],
    [
      'a path the search index skips',
      (e: any) => (e.status = { items: [{ message: 'a\u0000' }] }),
      'status.items[0].message',
      '"a\\u{0000}", which has U+0000 NULL at character 2',
    ],
    [
      'text after astral characters',
      (e: any) => (e.metadata.description = '📦📦\u0000'),
      'metadata.description',
      '"📦📦\\u{0000}", which has U+0000 NULL at character 3',
    ],
  ])('refuses U+0000 in %s, naming where', (_name, change, path, found) => {
    expect(checkCatalogStorable(product(change))).toEqual({
      path,
      found,
      expected: expect.stringMatching(/^text without U\+0000 NULL/),
    });
  });

  it.each([
    [
      'keys of one object',
      (e: any) => (e.spec.Lifecycle = 'production'),
      'spec.Lifecycle',
      'spec.lifecycle',
    ],
    [
      'keys of two list items',
      (e: any) =>
        (e.spec.inputPorts[1].Name = e.spec.inputPorts[1].name) &&
        delete e.spec.inputPorts[1].name,
      'spec.inputPorts[1].Name',
      'spec.inputPorts[0].name',
    ],
    [
      'a key and a name the catalog indexes itself',
      (e: any) => (e.metadata.NAMESPACE = 'x'),
      'metadata.NAMESPACE',
      'metadata.namespace',
    ],
    [
      'a key and a string list item, indexed as a path of its own',
      (e: any) => (e.spec.regulations = [{ GDPR: true }, 'gdpr']),
      'spec.regulations[1]',
      'spec.regulations[0].GDPR',
    ],
  ])(
    'refuses field names that differ only in case: %s',
    (_n, change, path, earlier) => {
      expect(checkCatalogStorable(product(change))).toEqual({
        path,
        found: `a field that differs from "${earlier}" only in letter case`,
        expected: expect.stringContaining("the catalog's search index"),
      });
    },
  );

  it.each([
    [
      'the same key in every list item',
      (e: any) => e.spec.outputPorts.push({ ...e.spec.outputPorts[0] }),
    ],
    [
      'string items differing in case, which the index writes once',
      (e: any) => (e.spec.regulations = ['GDPR', 'gdpr', 'Gdpr']),
    ],
    [
      'keys under paths the index skips',
      (e: any) => (e.status = { items: [{ Level: 1, level: 2 }] }),
    ],
    ['an empty object beside a key', (e: any) => (e.spec.Slos = {})],
  ])('takes %s', (_name, change) => {
    expect(checkCatalogStorable(product(change))).toBeUndefined();
  });
});
