import fs from 'node:fs';
import path from 'node:path';
import {
  type CatalogProcessorResult,
  type LocationSpec,
  parseEntityYaml,
} from '@backstage/plugin-catalog-node';
import {
  DEFAULT_MAX_DESCRIPTOR_SIZE,
  checkDescriptorLimits,
} from '@quanta/plugin-data-mesh-common';
import {
  hostileDescriptorText,
  hostileDescriptors,
} from '@quanta/plugin-data-mesh-common/testUtils';
import { Document } from 'yaml';
import {
  ANNOTATION_REFUSED_BY_READER,
  DEFAULT_MAX_DOCUMENT_SIZE,
  createCatalogFileParser,
} from './boundedYaml';

const location: LocationSpec = {
  type: 'file',
  target: '/repo/catalog-info.yaml',
};
const LOC = 'file:/repo/catalog-info.yaml';

/** Results as plain data: the kind, and the entity or the error's message. */
function plain(results: CatalogProcessorResult[]) {
  return results.map(r => {
    if (r.type === 'entity') return { type: r.type, entity: r.entity };
    if (r.type === 'error') {
      return { type: r.type, name: r.error.name, message: r.error.message };
    }
    return { type: r.type };
  });
}

/** What the module's parser makes of a file, or what it throws. */
async function parse(
  text: string,
  options?: Parameters<typeof createCatalogFileParser>[0],
) {
  const results: CatalogProcessorResult[] = [];
  for await (const r of createCatalogFileParser(options)({
    data: Buffer.from(text, 'utf8'),
    location,
  }) as AsyncIterable<CatalogProcessorResult>) {
    results.push(r);
  }
  return plain(results);
}

/** What Backstage's own parser makes of a file, as it runs in the catalog. */
function parseAsBackstage(text: string) {
  return plain([...parseEntityYaml(Buffer.from(text, 'utf8'), location)]);
}

/** Both results, or the error each throws (a document whose expansion the `yaml` package refuses throws in both). */
async function both(text: string) {
  const settle = async (run: () => unknown) => {
    try {
      return await run();
    } catch (e) {
      return { thrown: String(e) };
    }
  };
  return {
    ours: await settle(() => parse(text)),
    backstage: await settle(() => parseAsBackstage(text)),
  };
}

const component = (
  name: string,
  extra = '',
) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
${extra}spec:
  type: service
  lifecycle: production
  owner: group:default/team-a
`;

const productYaml = (name: string, metadataExtra = '') =>
  `apiVersion: quanta.dev/v1alpha1
kind: DataProduct
metadata:
  name: ${name}
${metadataExtra}spec:
  type: source-aligned
  lifecycle: production
  owner: group:default/sales-data
  outputPorts:
    - { name: table, type: table, format: parquet, address: 's3://lake/${name}/' }
`;

const entityNames = (results: Array<{ type: string; entity?: any }>) =>
  results.filter(r => r.type === 'entity').map(r => r.entity?.metadata?.name);
const errors = (results: Array<{ type: string; message?: string }>) =>
  results.filter(r => r.type === 'error').map(r => r.message!);

describe('the catalog file parser reads files as Backstage does', () => {
  // The `yaml` package warns of keys that are lists, as both parsers read one.
  let warnings: jest.SpyInstance;
  beforeAll(() => {
    warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => {});
  });
  afterAll(() => warnings.mockRestore());

  const repoRoot = path.resolve(__dirname, '../../../..');
  const examples = [
    'catalog-info.yaml',
    ...fs
      .readdirSync(path.join(repoRoot, 'examples'))
      .filter(f => f.endsWith('.yaml'))
      .map(f => `examples/${f}`),
    ...fs
      .readdirSync(path.join(repoRoot, 'examples/data-products'))
      .filter(f => f.endsWith('.yaml'))
      .map(f => `examples/data-products/${f}`),
  ];

  it.each(examples.map(f => [f]))(
    'reads the repository file %s to the same entities',
    async file => {
      const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      const { ours, backstage } = await both(text);
      expect(ours).toEqual(backstage);
      expect((ours as any[]).length).toBeGreaterThan(0);
    },
  );

  const long = 'k'.repeat(120);
  const cases: Array<[string, string]> = [
    ['one entity', component('a')],
    [
      'several documents, empty ones among them',
      `---\n${component('a')}---\n~\n---\n---\n${component('b')}`,
    ],
    ['a list at the root', '- a\n- b\n'],
    ['text at the root', 'just text\n'],
    ['a number at the root', '42\n'],
    ['an empty file', ''],
    ['only comments', '# nothing\n# here\n'],
    [
      'a syntax error in one document of three',
      `${component('a')}---\nkind: [unclosed\n---\n${component('b')}`,
    ],
    ['a tab as indentation', 'kind: Component\nmetadata:\n\tname: a\n'],
    ['a duplicate top-level key', `${component('a')}kind: API\n`],
    ['a duplicate key in a nested mapping', component('a', '  name: b\n')],
    [
      'a duplicate key inside a value, before a duplicate of its own key',
      'a:\n  x: 1\n  x: 2\nb: 1\na: 3\n',
    ],
    ['duplicates in a flow mapping', 'a: { x: 1, y: 2, x: 3 }\n'],
    ['a quoted key equal to a plain one', 'a: 1\n"a": 2\n'],
    ['a number key and a text key', '1: a\n"1": b\n'],
    ['two null keys', '~: a\nnull: b\n'],
    ['an empty key twice', ': a\n: b\n'],
    ['a duplicate key with an anchor', '&k a: 1\na: 2\n'],
    ['a duplicate key with a tag', '!!str a: 1\na: 2\n'],
    ['a tagged number key', '!!int 1: a\n1: b\n'],
    ['duplicate keys that are lists', '? [a]\n: 1\n? [a]\n: 2\n'],
    ['duplicate alias keys', 'x: &k a\n*k : 1\n*k : 2\n'],
    [
      'a duplicate key on a long line',
      `${'x'.repeat(30)}: { ${long}: 1, ${long}: 2 }\n`,
    ],
    ['a duplicate key after a comment line', 'a: 1\n# comment\na: 2\n'],
    ['two merge keys', 'a: &x { b: 1 }\nc:\n  <<: *x\n  <<: *x\n'],
    ['a merge key, not merged', 'a: &x { b: 1 }\nc:\n  <<: *x\n  d: 2\n'],
    ['a duplicate key and a later syntax error', 'a: 1\na: 2\nb: [unclosed\n'],
    ['a syntax error before a duplicate key', 'b: "unclosed\na: 1\na: 2\n'],
    ['duplicates in several documents', 'a: 1\na: 2\n---\nb: 1\nb: 2\n'],
    ['Windows line endings', component('a').replace(/\n/g, '\r\n')],
    ['a byte order mark', `\ufeff${component('a')}`],
    [
      'aliases within limits',
      `${component('a', '  labels: &l { x: y }\n  annotations: { a: *l }\n')}`,
    ],
    [
      'YAML 1.1 values the core schema reads as text',
      'a: yes\nb: 2024-01-01\nc: 0o17\nd: 017\ne: .inf\nf: 1e3\n',
    ],
    ['an alias to no anchor', 'a: *nowhere\n'],
    [
      'an anchor aliased more often than the package allows',
      `a: &x [1]\nb: [${Array.from({ length: 120 }, () => '*x').join(', ')}]\n`,
    ],
    ['a binary value', 'a: !!binary aGVsbG8=\n'],
    ['a timestamp tag', 'a: !!timestamp 2001-12-14\n'],
    ['a key named __proto__', '__proto__: { polluted: true }\nb: 1\n'],
    [
      'a name of 200 characters, which the catalog refuses itself',
      component('n'.repeat(200)),
    ],
    [
      'text of 10,000 characters',
      component('a', `  description: ${'d'.repeat(10_000)}\n`),
    ],
  ];

  it.each(cases)('%s', async (_title, text) => {
    const { ours, backstage } = await both(text);
    expect(ours).toEqual(backstage);
  });

  it('reports duplicate keys as the yaml package does, in a mapping too large for its own check', async () => {
    // 2,000 keys, the largest the package's quadratic check reads quickly
    // enough for a test; the module's parser reads 60,000 (below) the same.
    const keys = Array.from({ length: 2000 }, (_, i) => `  key${i}: ${i}`);
    const text = component('a', `  labels:\n${keys.join('\n')}\n    `).replace(
      '    spec:',
      'spec:',
    );
    const withDuplicate = text.replace('  key1999: 1999', '  key7: again');
    const { ours, backstage } = await both(withDuplicate);
    expect(ours).toEqual(backstage);
    expect(errors(ours as any[])[0]).toContain(
      'Map keys must be unique at line',
    );
  });
});

describe('what the catalog file parser refuses', () => {
  it('finds a duplicate among 60,000 keys and names its line', async () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `    k${i}: ${i}`);
    keys.push('    k59999: again');
    const text = `${component('a', `  labels:\n${keys.join('\n')}\n`)}`;
    const results = await parse(`${text}---\n${component('b')}`);
    expect(errors(results)).toEqual([
      expect.stringMatching(
        /^YAML error at file:\/repo\/catalog-info\.yaml, YAMLParseError: Map keys must be unique at line 60006, column 5:\n\n {4}k59999: 59999\n {4}k59999: again\n {4}\^\n$/,
      ),
    ]);
    // The file's other document is read, as Backstage's parser reads it.
    expect(entityNames(results)).toEqual(['b']);
  });

  describe('a document its aliases make larger than the limit', () => {
    const anchor = 'x'.repeat(1_000_000);
    const aliases = Array.from({ length: 100 }, (_, i) => `    a${i}: *big`);
    const api = `apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: huge-api
  annotations:
    anchor: &big "${anchor}"
${aliases.join('\n')}
spec: { type: openapi, lifecycle: production, owner: team-a, definition: x }
`;

    it('is refused before it is expanded, naming the limit, its key and where, for any kind', async () => {
      const toJSON = jest.spyOn(Document.prototype, 'toJSON');
      try {
        const results = await parse(
          `${component('before')}---\n${api}---\n${component('after')}`,
        );
        const [message] = errors(results);
        expect(message).toBe(
          `YAML error at ${LOC}, the API document at line 10 is larger than 16 MiB as JSON, with its YAML aliases expanded (the limit is passed at metadata.annotations.a15); the catalog takes documents of at most 16 MiB (dataMesh.catalog.maxDocumentSize). Look for aliases that repeat large parts, or split the document`,
        );
        // Only the documents read were turned into objects.
        expect(toJSON).toHaveBeenCalledTimes(2);
        expect(entityNames(results)).toEqual(['before', 'after']);
      } finally {
        toJSON.mockRestore();
      }
    });

    it('takes a smaller limit from its option', async () => {
      const results = await parse(
        `${component('a', `  description: ${'d'.repeat(3000)}\n`)}`,
        { maxDocumentSize: 2048 },
      );
      expect(errors(results)).toEqual([
        expect.stringContaining(
          'is larger than 2 KiB as JSON, with its YAML aliases expanded (the limit is passed at metadata.description)',
        ),
      ]);
    });

    it('makes a DataProduct a stand-in that carries the refusal, and reads the rest of the file', async () => {
      const product = productYaml(
        'orders',
        `  description: &text "${'x'.repeat(30_000)}"
  annotations:
${Array.from({ length: 20 }, (_, i) => `    a${i}: *text`).join('\n')}
`,
      );
      const results = await parse(
        `${component('before')}---\n${product}---\n${component('after')}`,
      );
      expect(errors(results)).toEqual([]);
      expect(entityNames(results)).toEqual(['before', 'orders', 'after']);
      const standIn = results[1].entity as any;
      expect(standIn).toEqual({
        apiVersion: 'quanta.dev/v1alpha1',
        kind: 'DataProduct',
        metadata: {
          name: 'orders',
          annotations: { [ANNOTATION_REFUSED_BY_READER]: expect.any(String) },
        },
      });
      expect(standIn.metadata.annotations[ANNOTATION_REFUSED_BY_READER]).toBe(
        `DataProduct refused, nothing of it was read: metadata.annotations.a16: found a descriptor larger than 512 KiB as JSON, the limit being passed here, expected a descriptor of at most 512 KiB: keep wide schemas in the port's contract document, and look for YAML aliases that repeat large parts (the limit is dataMesh.catalog.maxDescriptorSize; YAML aliases count each time they repeat their anchor; found by the catalog's file reader at line 10 of ${LOC})`,
      );
    });

    it('counts annotations, but for the location ones a catalog sets, as the DataProduct processor does', async () => {
      const fill = (bytes: number) =>
        productYaml(
          'orders',
          `  annotations:
    backstage.io/managed-by-location: "url:https://git.example.com/${'p/'.repeat(
      1000,
    )}catalog-info.yaml"
    example.com/fill: "${'f'.repeat(bytes)}"
`,
        );
      const readBoth = async (bytes: number) => {
        const [result] = await parse(fill(bytes), { maxDescriptorSize: 8192 });
        const refusal = (result as any).entity.metadata.annotations[
          ANNOTATION_REFUSED_BY_READER
        ];
        const [read] = parseAsBackstage(fill(bytes)) as any[];
        return {
          refusal: refusal as string | undefined,
          processor: checkDescriptorLimits(read.entity, { maxSize: 8192 }),
        };
      };
      // Filled to exactly 8 KiB without the location annotation, 3 KB long.
      const [read] = parseAsBackstage(fill(0)) as any[];
      const entity = read.entity;
      const managedBy =
        entity.metadata.annotations['backstage.io/managed-by-location'];
      expect(managedBy.length).toBeGreaterThan(2000);
      delete entity.metadata.annotations['backstage.io/managed-by-location'];
      const exact = 8192 - Buffer.byteLength(JSON.stringify(entity));

      expect(await readBoth(exact)).toEqual({
        refusal: undefined,
        processor: undefined,
      });
      // One byte more: both refuse, naming the same place.
      const over = await readBoth(exact + 1);
      expect(over.processor).toBeDefined();
      expect(over.refusal).toContain(
        `DataProduct refused, nothing of it was read: ${
          over.processor!.path
        }: found a descriptor larger than 8 KiB as JSON`,
      );
      // Far more: the annotation that makes it too large is named.
      const far = await readBoth(exact + 1000);
      expect(far.processor?.path).toBe(
        'metadata.annotations["example.com/fill"]',
      );
      expect(far.refusal).toContain(
        'DataProduct refused, nothing of it was read: metadata.annotations["example.com/fill"]: found a descriptor larger than 8 KiB',
      );
    });

    it('measures a descriptor with only location annotations as one written without any', async () => {
      const bare = productYaml('orders', '  description: ""\n');
      const [read] = parseAsBackstage(bare) as any[];
      const fill = 8192 - Buffer.byteLength(JSON.stringify(read.entity));
      const text = (annotations: string) =>
        productYaml(
          'orders',
          `  description: "${'d'.repeat(fill)}"\n${annotations}`,
        );
      for (const annotations of [
        '',
        '  annotations:\n    backstage.io/managed-by-location: "file:/a/very/long/path.yaml"\n',
      ]) {
        const [result] = await parse(text(annotations), {
          maxDescriptorSize: 8192,
        });
        expect(
          (result as any).entity.metadata.annotations?.[
            ANNOTATION_REFUSED_BY_READER
          ],
        ).toBeUndefined();
        const [again] = parseAsBackstage(text(annotations)) as any[];
        expect(
          checkDescriptorLimits(again.entity, { maxSize: 8192 }),
        ).toBeUndefined();
      }
      const [over] = await parse(
        text('  annotations: { example.com/x: "" }\n'),
        { maxDescriptorSize: 8192 },
      );
      expect(
        (over as any).entity.metadata.annotations[ANNOTATION_REFUSED_BY_READER],
      ).toContain('found a descriptor larger than 8 KiB');
    });

    it('refuses an alias bomb at once, where the yaml package would refuse to expand it', async () => {
      const levels = Array.from(
        { length: 12 },
        (_, i) =>
          `  l${i + 1}: &l${i + 1} [${Array.from(
            { length: 8 },
            () => `*l${i}`,
          ).join(', ')}]`,
      );
      const text = `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: bomb
  annotations:
  l0: &l0 "lol"
${levels.join('\n')}
spec: { type: x, owner: team-a }
`.replace('  annotations:\n', '');
      const results = await parse(`${text}---\n${component('after')}`);
      expect(errors(results)).toEqual([
        expect.stringContaining(
          'the Resource document at line 1 is larger than 16 MiB as JSON, with its YAML aliases expanded (the limit is passed at metadata.l',
        ),
      ]);
      expect(entityNames(results)).toEqual(['after']);
    });
  });

  describe('an alias cycle', () => {
    const cyclic = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: loop
spec: &spec
  type: service
  again: *spec
`;

    it('is an error naming the anchor, the alias and where, for any kind', async () => {
      const results = await parse(`${cyclic}---\n${component('after')}`);
      expect(errors(results)).toEqual([
        `YAML error at ${LOC}, the alias *spec at line 7, column 10 (spec.again) repeats the anchor &spec of a node that holds it: a cycle, which no entity can hold. Write out the values the alias should repeat`,
      ]);
      expect(entityNames(results)).toEqual(['after']);
    });

    it('makes a DataProduct a stand-in naming the anchor', async () => {
      const product = `${productYaml(
        'loop',
      )}  slos: &slos { freshness: PT1H, self: *slos }\n`;
      const results = await parse(product);
      expect(errors(results)).toEqual([]);
      expect(
        (results[0] as any).entity.metadata.annotations[
          ANNOTATION_REFUSED_BY_READER
        ],
      ).toBe(
        `DataProduct refused, nothing of it was read: spec.slos.self: found the alias *slos at line 11, column 40, which repeats &slos, a node that holds it: a cycle, expected a value that does not hold itself: write out the values the alias should repeat (no entity can hold a cycle; found by the catalog's file reader at line 1 of ${LOC})`,
      );
    });
  });

  describe('what the catalog database cannot store', () => {
    it('refuses U+0000 in any text of another kind, naming the field', async () => {
      const results = await parse(
        `${component('a', '  description: "bad\\0text"\n')}---\n${component(
          'b',
        )}`,
      );
      expect(errors(results)).toEqual([
        `Entity at line 1 of ${LOC} refused: metadata.description is "bad\\u{0000}text", which has U+0000 NULL at character 4: the catalog's database cannot store it (PostgreSQL refuses it in the catalog's search index, and the entity would be missing from every list); remove the character`,
      ]);
      expect(entityNames(results)).toEqual(['b']);
    });

    it('refuses U+0000 in a field name, naming it', async () => {
      const results = await parse(component('a', '  labels: { "x\\0y": z }\n'));
      expect(errors(results)).toEqual([
        expect.stringContaining(
          'refused: metadata.labels["x\\u{0000}y"] is a field named "x\\u{0000}y", which has U+0000 NULL at character 2',
        ),
      ]);
    });

    it('leaves U+0000 in a DataProduct to the DataProduct processor, which refuses it on the product', async () => {
      const text = productYaml('orders', '  title: "Orders\\0"\n');
      expect(await parse(text)).toEqual(parseAsBackstage(text));
    });

    it('refuses U+0000 in a reference, a DataProduct too', async () => {
      const results = await parse(productYaml('"orders\\0"'));
      expect(errors(results)).toEqual([
        `Entity at line 1 of ${LOC} refused: metadata.name is "orders\\u{0000}", which has U+0000 NULL at character 7: the catalog's database cannot store it in the entity's reference; remove the character`,
      ]);
    });

    it('refuses a reference longer than the 255 characters of its columns, naming the field', async () => {
      const results = await parse(
        `${component('n'.repeat(300))}---\n${component('b')}`,
      );
      expect(errors(results)).toEqual([
        `Entity at line 1 of ${LOC} refused: its reference "component:default/${'n'.repeat(
          42,
        )}…" is 318 characters long, and the catalog's database stores references of at most 255: metadata.name has 300 characters (the catalog takes names and namespaces of at most 63)`,
      ]);
      expect(entityNames(results)).toEqual(['b']);
    });

    it('takes a reference of exactly 255 characters, which the catalog refuses itself', async () => {
      const name = 'n'.repeat(255 - 'component:default/'.length);
      const text = component(name);
      expect(await parse(text)).toEqual(parseAsBackstage(text));
    });
  });

  it('says why a file nested too deep for the YAML reader fails, after the message Backstage gives', async () => {
    // Deeper than the package's recursion goes (about 1,000 levels), not
    // as deep as the parser's limit.
    const text = `a: ${'['.repeat(1900)}${']'.repeat(1900)}\n`;
    const [backstage] = parseAsBackstage(text);
    const [ours] = await parse(text);
    // Where the stack runs out varies from run to run; the rest does not.
    const start =
      /^YAML error at file:\/repo\/catalog-info\.yaml, YAMLParseError: Maximum call stack size exceeded at line 1, column \d+:\n/;
    expect(backstage.message).toMatch(start);
    expect(ours.type).toBe('error');
    expect(ours.message).toMatch(start);
    expect(ours.message).toMatch(
      /\^\n\(The file nests lists or mappings deeper than the YAML reader can follow, which is several hundred levels; entities need a few, and a DataProduct may nest at most 32\.\)$/,
    );
  });

  it.each([
    ['flow lists', 12, `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['flow mappings', 12, `${'{a: '.repeat(50_000)}1${'}'.repeat(50_000)}`],
    ['block lists on one line', 13, `\n    ${'- '.repeat(50_000)}x`],
  ])(
    'refuses %s nested past 2,000 levels without reading the rest, naming line %i',
    async (_title, line, deep) => {
      const text = `${component(
        'before',
      )}---\nkind: Component\nmetadata:\n  deep: ${deep}\n---\n${component(
        'after',
      )}`;
      expect(await parse(text)).toEqual([
        {
          type: 'error',
          name: 'Error',
          message: `Failed to parse YAML at ${LOC}: at line ${line} the file nests lists or mappings more than 2,000 levels deep, deeper than the YAML reader can follow (which is several hundred levels); entities need a few, and a DataProduct may nest at most 32. Nothing of the file was read`,
        },
      ]);
    },
  );

  it('has the defaults its documentation gives', () => {
    expect(DEFAULT_MAX_DOCUMENT_SIZE).toBe(16 * 1024 * 1024);
    expect(DEFAULT_MAX_DESCRIPTOR_SIZE).toBe(512 * 1024);
  });
});

describe('the hostile corpus through the catalog file parser', () => {
  const corpus = hostileDescriptors().filter(
    c => c.catalog?.outcome !== 'not-written',
  );

  it('holds the corpus', () => {
    expect(corpus.length).toBeGreaterThan(500);
  });

  /** The refusal of the parser's first result, on a stand-in or on the location. */
  const refusalOf = (result: ReturnType<typeof plain>[number]) =>
    result.type === 'error'
      ? result.message
      : (result as any).entity?.metadata?.annotations?.[
          ANNOTATION_REFUSED_BY_READER
        ];

  it.each(corpus.map(c => [c.id, c] as const))(
    '%s: refused as too large exactly when the DataProduct processor would, its neighbour read but past the nesting limit',
    async (_id, c) => {
      const results = await parse(
        `${hostileDescriptorText(c)}\n---\n${productYaml('beside')}`,
      );
      const refusal: string | undefined = refusalOf(results[0]);
      // A cycle is refused as a cycle (the processor would see it as too
      // deep); a reference the database cannot store, before its size.
      const isCycle = c.id.endsWith('/cycle');
      const isStorage =
        !isCycle && Boolean(refusal?.includes("the catalog's database"));
      // Nesting the reader cannot follow fails the file before it is read.
      const tooDeep = Boolean(
        refusal?.includes('deeper than the YAML reader can follow (which'),
      );
      const measured = !isCycle && !isStorage && !tooDeep;
      const processor = measured
        ? checkDescriptorLimits(c.entity(), { maxDepth: Infinity })
        : undefined;
      const bySize = Boolean(refusal?.includes('larger than 512 KiB as JSON'));
      // Text whose YAML writes the fields in the order of the descriptor
      // object names the same place. (The alias bombs of the corpus write
      // their list last, so the place differs.)
      const samePlace = bySize && results[0].type === 'entity' && !c.yaml;
      expect({
        id: c.id,
        beside: entityNames(results).includes('beside'),
        cycle: isCycle ? Boolean(refusal?.includes('a cycle')) : undefined,
        storage: isStorage
          ? `${c.catalog?.outcome} by ${(c.catalog as any)?.by}`
          : undefined,
        bySize: measured ? bySize : undefined,
        place: samePlace
          ? refusal?.includes(
              `nothing of it was read: ${processor?.path}: found a descriptor larger than 512 KiB`,
            )
          : undefined,
      }).toEqual({
        id: c.id,
        beside: !tooDeep,
        cycle: isCycle ? true : undefined,
        storage: isStorage ? 'refused by yaml' : undefined,
        bySize: measured
          ? Boolean(processor?.found.startsWith('a descriptor larger than'))
          : undefined,
        place: samePlace ? true : undefined,
      });
    },
  );
});
