import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateDataProduct } from '@quanta/plugin-data-mesh-common';
import { parse } from 'yaml';
import { officialOdcsErrors, odcsSuite } from './__testUtils__/odcs';
import {
  type DryRunResult,
  TRICKY,
  cases,
  outputPort,
  picked,
  startTemplateScaffolder,
  templatesDir,
} from './__testUtils__/templates';

jest.setTimeout(120_000);

/** What each dry run wrote as contracts, checked below against the official schema. */
const generatedContracts: Array<{ file: string; contract: object }> = [];

describe('data product templates through the scaffolder (dry run)', () => {
  let publishDir: string;
  let dryRun: (file: string, values: object) => Promise<DryRunResult>;

  beforeAll(async () => {
    publishDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-repos-'));
    dryRun = await startTemplateScaffolder(publishDir);
  });

  afterAll(() => fs.rmSync(publishDir, { recursive: true, force: true }));

  it.each(cases)('$file produces a valid repository', async testCase => {
    const { status, body, files } = await dryRun(
      testCase.file,
      testCase.values,
    );
    if (status !== 200) throw new Error(JSON.stringify(body, null, 2));
    const read = (name: string) => {
      const content = files.get(name);
      if (content === undefined) {
        throw new Error(`${name} missing; got ${[...files.keys()].join(', ')}`);
      }
      return content;
    };
    const name = testCase.values.name;

    const entity = parse(read('catalog-info.yaml'));
    expect(validateDataProduct(entity)).toEqual([]);
    expect(entity.metadata.name).toBe(name);
    expect(entity.metadata.description).toContain(TRICKY);
    expect(entity.metadata.annotations).toMatchObject({
      'backstage.io/source-template': `template:default/${
        parse(fs.readFileSync(path.join(templatesDir, testCase.file), 'utf8'))
          .metadata.name
      }`,
      'quanta.dev/template-version': '1.1.0',
      'backstage.io/techdocs-ref': 'dir:.',
    });

    // The pickers store { title, ref }; the descriptor keeps only references.
    expect(entity.spec).toMatchObject({
      owner: 'group:default/sales-data',
      productOwner: 'user:default/maria.silva',
      domain: 'domain:default/sales',
    });
    expect(
      entity.spec.inputPorts.map((p: any) => p.source ?? p.dataProduct),
    ).toEqual(
      (
        (testCase.values as any).sources ?? (testCase.values as any).upstreams
      ).map((u: any) => (u.source ?? u.dataProduct).ref),
    );
    expect(JSON.stringify(entity)).not.toMatch(/"title":"(Sales|Orders)/);

    for (const port of entity.spec.outputPorts) {
      const contract = parse(read(port.contract.location.replace('./', '')));
      expect(contract.apiVersion).toBe('v3.1.0');
      generatedContracts.push({ file: testCase.file, contract });
      expect(contract.id).toBe(`dataproduct://default/${name}/${port.name}`);
      expect(contract.schema[0].properties.map((p: any) => p.name)).toEqual(
        port.schema.map((f: any) => f.name),
      );
      expect(JSON.stringify(contract)).toContain('E-mail ${{ secrets.x }}');
    }

    const codeowners = read('CODEOWNERS');
    expect(codeowners).toContain('* @sales-data');
    expect(codeowners).toContain('group:default/sales-data');

    expect(read('README.md')).toContain(TRICKY);
    expect(read('docs/index.md')).toContain(TRICKY);
    expect(parse(read('mkdocs.yml')).site_name).toBe(
      (testCase.values as any).title ?? name,
    );
    expect(parse(read('dbt_project.yml')).name).toBe(name.replace(/-/g, '_'));
    for (const model of testCase.models) {
      expect([...files.keys()].some(f => f.startsWith(model))).toBe(true);
    }
    const checks = parse(read('quality/checks.yaml'));
    expect(checks.product).toBe(`dataproduct:default/${name}`);
    expect(checks.checks.map((c: any) => c.slo)).toEqual(
      expect.arrayContaining([
        'freshness',
        'intervalOfChange',
        'completeness',
        'availability',
        'timeliness',
      ]),
    );
    // GitHub expressions in the workflow are copied, not rendered.
    expect(read('.github/workflows/data-product.yml')).toContain(
      '${{ secrets.QUANTA_QUALITY_TOKEN }}',
    );
    expect(read('quality/run_checks.py')).toContain(
      '/api/data-mesh/quality/results',
    );
    expect(files.has('.quanta/schemas/data-product.schema.json')).toBe(true);
    expect(read('.quanta/check_contracts.py')).toContain(
      'bitol-io/open-data-contract-standard',
    );

    // A dry run publishes nothing.
    expect(fs.readdirSync(publishDir)).toEqual([]);
    expect(body.output.links[0].entityRef).toBeUndefined();
  });

  it('stops before anything is created when governance fails', async () => {
    const { status, body } = await dryRun('aggregate.yaml', {
      ...cases[1].values,
      name: 'broken-conversion',
      owner: picked('group:default/no-such-team', 'No Such Team'),
      classification: 'public',
    });
    expect(status).toBe(400);
    const message: string = body.error.message;
    expect(message).toContain('The data product was not created');
    expect(message).toContain('[quanta.owner-exists]');
    expect(message).toContain('group:default/no-such-team');
    expect(message).toContain('[quanta.pii-not-public]');
    expect(fs.readdirSync(publishDir)).toEqual([]);
  });

  it('reports a finance product without SOX, a rule from app-config', async () => {
    const { status, body } = await dryRun('consumer-aligned.yaml', {
      ...cases[2].values,
      name: 'finance-staffing',
      domain: picked('domain:default/finance', 'Finance'),
      owner: picked('group:default/finance-data', 'Finance Data'),
      productOwner: picked('user:default/isabella.garcia', 'Isabella Garcia'),
      outputPorts: [
        outputPort('staffing-costs', 'iceberg://lake/finance/staffing_costs'),
      ],
    });
    expect(status).toBe(400);
    expect(body.error.message).toContain('[finance.sox-regulated]');
  });
});

odcsSuite.describe(
  odcsSuite.title(
    'the contracts the templates wrote, under the official ODCS schema',
  ),
  () => {
    it('are valid ODCS v3.1.0, every one', () => {
      // One per output port of every template's dry run above.
      expect(generatedContracts.length).toBeGreaterThanOrEqual(cases.length);
      for (const { file, contract } of generatedContracts) {
        expect({ file, errors: officialOdcsErrors(contract) }).toEqual({
          file,
          errors: [],
        });
      }
    });
  },
);
