import type { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { reportEmptyFiles } from './emptyFiles';

const location = {
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};

async function parse(text: string) {
  const results: CatalogProcessorResult[] = [];
  for await (const result of reportEmptyFiles()({
    data: Buffer.from(text),
    location,
  })) {
    results.push(result);
  }
  return results.map(r =>
    r.type === 'entity'
      ? `entity ${(r.entity.metadata as any).name}`
      : `${r.type} ${(r as any).error?.message}`,
  );
}

describe('reportEmptyFiles', () => {
  it.each([
    ['an empty file', ''],
    ['a file of blank lines', '\n\n  \n'],
    ['a comment-only file', '# to do: describe the product\n# owner: sales\n'],
    ['a null document', '~\n'],
    ['empty documents', '---\n---\n...\n'],
    ['a null document between comments', '# a\n--- ~\n# b\n'],
  ])('says a location holds no entity for %s', async (_what, text) => {
    expect(await parse(text)).toEqual([
      "error No entity in url:https://example.com/catalog-info.yaml: the file is empty, or holds only comments or empty documents ('~', '---'). Add an entity to it, or remove it from the location that lists it",
    ]);
  });

  it('passes the catalog parser through for files with entities or errors of their own', async () => {
    expect(
      await parse(
        '# header\n---\n~\n---\napiVersion: v1\nkind: Group\nmetadata: { name: a }\n',
      ),
    ).toEqual(['entity a']);
    // A syntax error is the catalog's own error, not "no entity".
    const [syntax] = await parse('kind: [unclosed\n');
    expect(syntax).toMatch(/^error YAML error at url:https:\/\/example.com/);
    expect(await parse('42\n')).toEqual([
      'error Expected object at root, got number',
    ]);
  });

  it('wraps a parser the portal gives', async () => {
    const parser = reportEmptyFiles(async function* none() {});
    const results: CatalogProcessorResult[] = [];
    for await (const r of parser({
      data: Buffer.from('kind: Group'),
      location,
    }))
      results.push(r);
    expect(results.map(r => r.type)).toEqual(['error']);
  });
});
