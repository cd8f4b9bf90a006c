/*
 * The config policies of the demo's app-config.yaml, read the way the
 * backend reads them and run over the demo mesh in examples/.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { readConfigPolicies } from './configPolicies';
import { createMeshIndex } from './meshIndex';
import { PolicyEngine } from './PolicyEngine';

function findRepoRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'app-config.yaml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No app-config.yaml above ${start}`);
    dir = parent;
  }
  return dir;
}

const root = findRepoRoot(__dirname);
const readEntities = (file: string): Entity[] =>
  parseAllDocuments(fs.readFileSync(file, 'utf8')).map(
    doc => doc.toJS() as Entity,
  );
const [location] = readEntities(path.join(root, 'examples', 'all.yaml'));
const entities = (location.spec?.targets as string[]).flatMap(target =>
  readEntities(path.resolve(root, 'examples', target)),
);
const appConfig = parse(
  fs.readFileSync(path.join(root, 'app-config.yaml'), 'utf8'),
);

describe('the demo config policies', () => {
  const engine = new PolicyEngine({
    policies: readConfigPolicies(
      new ConfigReader({ dataMesh: { policies: appConfig.dataMesh.policies } }),
    ),
  });
  const mesh = createMeshIndex(entities);
  const failures = mesh.dataProducts().flatMap(product =>
    engine
      .evaluate(product, { mesh, now: new Date(), facts: {} })
      .results.filter(r => r.status !== 'pass')
      .map(r => `${product.metadata.name} ${r.policyId}: ${r.message}`),
  );

  it('include a domain-local JSON Schema rule that the demo mostly passes', () => {
    expect(
      appConfig.dataMesh.policies.some(
        (p: any) => p.schema && p.scope !== 'global',
      ),
    ).toBe(true);
    expect(failures.filter(f => f.includes(' customer.'))).toEqual([
      'support-tickets customer.personal-data-gdpr: spec.retention is missing',
    ]);
  });

  it('check each domain rule only on products of that domain', () => {
    expect(failures.filter(f => f.includes(' finance.'))).toEqual([
      'exchange-rates finance.sox-regulated: spec.regulations does not list SOX',
    ]);
  });
});
