import { compileSchemaRule, describeProblem } from './schemaRule';

const messages = (schema: object, entity: object) =>
  compileSchemaRule(schema, 'schema').problems(entity).map(describeProblem);

describe('compileSchemaRule', () => {
  it('describes each failing rule at the place it fails, in words', () => {
    expect(
      messages(
        {
          properties: {
            metadata: {
              properties: {
                tags: { minItems: 2, uniqueItems: true },
                annotations: { required: ['quanta.dev/address'] },
              },
            },
            spec: {
              required: ['retention'],
              additionalProperties: { not: { const: 'draft' } },
              properties: {
                classification: { enum: ['confidential', 'restricted'] },
                slos: {
                  properties: {
                    availability: { type: 'number', maximum: 100 },
                  },
                },
                inputPorts: { type: 'array' },
              },
            },
          },
        },
        {
          metadata: { tags: ['x'], annotations: {} },
          spec: {
            classification: 'public',
            slos: { availability: 120 },
            inputPorts: 'none',
            stage: 'draft',
          },
        },
      ),
    ).toEqual([
      'metadata.tags is a list of 1 item, expected at least 2 items',
      'metadata.annotations["quanta.dev/address"] is missing',
      'spec.retention is missing',
      'spec.classification is "public", expected one of "confidential", "restricted"',
      'spec.slos.availability is 120, expected at most 100',
      'spec.inputPorts is "none", expected a list',
      'spec.stage is "draft", expected anything but "draft"',
    ]);
  });

  it('sums up alternatives and lists instead of listing what did not match', () => {
    expect(
      messages(
        {
          properties: {
            spec: {
              properties: {
                regulations: { contains: { const: 'SOX' } },
                outputPorts: {
                  items: {
                    anyOf: [
                      { required: ['contract'] },
                      { required: ['schema'] },
                    ],
                  },
                },
                classification: { not: { enum: ['public', 'internal'] } },
                lifecycle: {
                  oneOf: [{ const: 'production' }, { const: 'deprecated' }],
                },
              },
            },
          },
        },
        {
          spec: {
            regulations: ['GDPR', 'CCPA'],
            outputPorts: [{ name: 'a' }, { contract: {} }],
            classification: 'internal',
            lifecycle: 'experimental',
          },
        },
      ),
    ).toEqual([
      'spec.regulations is ["GDPR","CCPA"], expected a list containing "SOX"',
      'spec.outputPorts[0] is {"name":"a"}, expected an object with contract or an object with schema',
      'spec.classification is "internal", expected anything but "public" or "internal"',
      'spec.lifecycle is "experimental", expected "production" or "deprecated"',
    ]);
  });

  it('follows references into $defs and forbids what additionalProperties excludes', () => {
    expect(
      messages(
        {
          properties: {
            spec: {
              properties: { slos: { $ref: '#/$defs/slos' } },
            },
          },
          $defs: {
            slos: {
              additionalProperties: false,
              properties: { freshness: { type: 'string', pattern: '^P' } },
            },
          },
        },
        { spec: { slos: { freshness: '1h', speed: 'fast' } } },
      ),
    ).toEqual([
      'spec.slos.freshness is "1h", expected text matching ^P',
      'spec.slos.speed is not allowed',
    ]);
  });

  it('shows large values by their kind rather than in full', () => {
    expect(
      messages(
        { type: 'array' },
        { apiVersion: 'v1', kind: 'DataProduct', spec: { a: { b: 1 } } },
      ),
    ).toEqual(['the entity is an object, expected a list']);
  });
});
