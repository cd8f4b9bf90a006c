/*
 * Checks the demo data mesh in examples/ (loaded the way the portal loads it:
 * through the targets of examples/all.yaml) for schema validity, dangling
 * references, lineage depth and the deliberately imperfect products that the
 * governance views are meant to find.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import {
  type CompoundEntityRef,
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  type DataProductEntity,
  type OutputPort,
  formatProblem,
  validateDataProduct,
} from '@quanta/plugin-data-mesh-common';

type Loaded = { entity: Entity; file: string };

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (
      fs.existsSync(pkg) &&
      JSON.parse(fs.readFileSync(pkg, 'utf8')).workspaces !== undefined
    ) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(
        `No workspace root (package.json with workspaces) above ${start}`,
      );
    }
    dir = parent;
  }
}

const repoRoot = findRepoRoot(__dirname);
const examplesDir = path.join(repoRoot, 'examples');
const entryFile = path.join(examplesDir, 'all.yaml');

function readYamlDocuments(file: string): unknown[] {
  const rel = path.relative(repoRoot, file);
  if (!fs.existsSync(file)) throw new Error(`${rel} does not exist`);
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc, i) => {
    if (doc.errors.length > 0) {
      throw new Error(
        `${rel}, document ${i + 1}: ${doc.errors
          .map(e => e.message)
          .join('; ')}`,
      );
    }
    return doc.toJS();
  });
}

function loadMesh(): { location: Entity; entities: Loaded[] } {
  const [location, ...rest] = readYamlDocuments(entryFile) as Entity[];
  if (rest.length > 0 || location?.kind !== 'Location') {
    throw new Error('examples/all.yaml must hold exactly one Location entity');
  }
  const targets = (location.spec?.targets ?? []) as string[];
  const entities: Loaded[] = [];
  for (const target of targets) {
    const file = path.resolve(examplesDir, target);
    readYamlDocuments(file).forEach((doc, i) => {
      const rel = path.relative(repoRoot, file);
      const entity = doc as Entity;
      if (!entity?.apiVersion || !entity?.kind || !entity?.metadata?.name) {
        throw new Error(
          `${rel}, document ${
            i + 1
          }: not an entity (needs apiVersion, kind and metadata.name)`,
        );
      }
      entities.push({ entity, file: rel });
    });
  }
  return { location, entities };
}

const { location, entities } = loadMesh();

const keyOf = (kind: string, namespace: string | undefined, name: string) =>
  `${kind.toLocaleLowerCase('en-US')}:${namespace ?? 'default'}/${name}`;
const entityKey = (e: Entity) =>
  keyOf(e.kind, e.metadata.namespace, e.metadata.name);

const byKey = new Map<string, Entity>();
for (const { entity } of entities) byKey.set(entityKey(entity), entity);

const ofKind = (kind: string) =>
  entities
    .map(l => l.entity)
    .filter(
      e =>
        e.kind.toLocaleLowerCase('en-US') === kind.toLocaleLowerCase('en-US'),
    );

const products = ofKind('DataProduct') as DataProductEntity[];
/** The demo's product with processing errors (examples/data-products/broken-example.yaml). */
const BROKEN = 'broken-example-refunds';
const productByKey = new Map(products.map(p => [entityKey(p), p]));
const label = (e: Entity) => stringifyEntityRef(e);

/**
 * Resolves a ref that must be written in full (kind:namespace/name) and must
 * name an entity of one of the expected kinds. Returns a problem or undefined.
 */
function checkRef(
  from: string,
  field: string,
  ref: unknown,
  kinds: string[],
): string | undefined {
  const where = `${from} ${field}`;
  if (typeof ref !== 'string')
    return `${where}: expected a reference, found ${JSON.stringify(ref)}`;
  if (!/^[^:/]+:[^:/]+\/[^:/]+$/.test(ref)) {
    return `${where}: "${ref}" is not a full reference (kind:namespace/name)`;
  }
  let parsed: CompoundEntityRef;
  try {
    parsed = parseEntityRef(ref);
  } catch (error) {
    return `${where}: "${ref}" does not parse: ${(error as Error).message}`;
  }
  if (
    !kinds.some(
      k =>
        k.toLocaleLowerCase('en-US') === parsed.kind.toLocaleLowerCase('en-US'),
    )
  ) {
    return `${where}: "${ref}" should point at a ${kinds.join(' or ')}`;
  }
  if (!byKey.has(keyOf(parsed.kind, parsed.namespace, parsed.name))) {
    return `${where}: "${ref}" does not resolve to any entity in examples/`;
  }
  return undefined;
}

function upstreamKeys(product: DataProductEntity): string[] {
  return (product.spec.inputPorts ?? [])
    .filter(p => p.dataProduct !== undefined)
    .map(p => {
      const ref = parseEntityRef(p.dataProduct!);
      return keyOf(ref.kind, ref.namespace, ref.name);
    });
}

/** The longest chain of products ending at each product, following dataProduct input ports. */
function longestChains(): { chains: Map<string, string[]>; cycles: string[] } {
  const chains = new Map<string, string[]>();
  const cycles: string[] = [];
  const visiting: string[] = [];
  const visit = (key: string): string[] => {
    const known = chains.get(key);
    if (known) return known;
    if (visiting.includes(key)) {
      cycles.push([...visiting.slice(visiting.indexOf(key)), key].join(' -> '));
      return [key];
    }
    const product = productByKey.get(key);
    if (!product) return [key];
    visiting.push(key);
    let best: string[] = [];
    for (const up of upstreamKeys(product)) {
      const chain = visit(up);
      if (chain.length > best.length) best = chain;
    }
    visiting.pop();
    const chain = [...best, key];
    chains.set(key, chain);
    return chain;
  };
  for (const key of productByKey.keys()) visit(key);
  return { chains, cycles };
}

const isConsumed = (product: DataProductEntity) =>
  products.some(
    p => p !== product && upstreamKeys(p).includes(entityKey(product)),
  );

describe('demo mesh in examples/', () => {
  it('is registered through a single Location whose targets all load', () => {
    expect(location.metadata.name).toBe('quanta-demo-mesh');
    expect(location.apiVersion).toBe('backstage.io/v1alpha1');
    expect(entities.length).toBeGreaterThan(0);

    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const { entity, file } of entities) {
      const key = entityKey(entity);
      if (seen.has(key))
        duplicates.push(`${key} defined in ${seen.get(key)} and ${file}`);
      seen.set(key, file);
    }
    expect(duplicates).toEqual([]);
  });

  it('has DataProducts that all pass validateDataProduct, but the one broken on purpose', () => {
    const problems = products
      .filter(p => p.metadata.name !== BROKEN)
      .flatMap(p =>
        validateDataProduct(p).map(
          problem => `${label(p)}: ${formatProblem(problem)}`,
        ),
      );
    expect(problems).toEqual([]);
  });

  it('ships one product broken on purpose, with the three errors examples/README.md names', () => {
    const broken = products.find(p => p.metadata.name === BROKEN);
    expect(broken?.metadata.title).toMatch(/broken example/i);
    const errors = validateDataProduct(broken!).map(formatProblem);
    expect(errors).toEqual([
      'spec.outputPorts[0].type: found "tabel", expected one of table, view, topic, file, api',
      'spec.slos.freshness: found "1 day", expected an ISO-8601 duration such as PT1H, P1D or P2Y',
      'spec.slos.completeness: found number 120, expected a percentage from 0 to 100',
    ]);
    const readme = fs.readFileSync(path.join(examplesDir, 'README.md'), 'utf8');
    // The README quotes each error as the product page shows it.
    for (const error of errors) expect(readme).toContain(error);
  });

  it('resolves every entity reference', () => {
    const problems: (string | undefined)[] = [];
    const ownedKinds = ['Domain', 'System', 'Component', 'API', 'Resource'];
    for (const kind of ownedKinds) {
      for (const e of ofKind(kind)) {
        problems.push(
          checkRef(label(e), 'spec.owner', e.spec?.owner, ['Group']),
        );
        if (kind !== 'Domain' && e.spec?.system !== undefined) {
          problems.push(
            checkRef(label(e), 'spec.system', e.spec.system, ['System']),
          );
        }
        if (kind === 'System' && e.spec?.domain !== undefined) {
          problems.push(
            checkRef(label(e), 'spec.domain', e.spec.domain, ['Domain']),
          );
        }
        for (const api of (e.spec?.providesApis ?? []) as string[]) {
          problems.push(checkRef(label(e), 'spec.providesApis', api, ['API']));
        }
        for (const dep of (e.spec?.dependsOn ?? []) as string[]) {
          problems.push(
            checkRef(label(e), 'spec.dependsOn', dep, [
              'Component',
              'Resource',
            ]),
          );
        }
      }
    }
    for (const g of ofKind('Group')) {
      if (g.spec?.parent !== undefined) {
        problems.push(
          checkRef(label(g), 'spec.parent', g.spec.parent, ['Group']),
        );
      }
    }
    for (const u of ofKind('User')) {
      const memberOf = (u.spec?.memberOf ?? []) as string[];
      if (memberOf.length === 0)
        problems.push(`${label(u)} spec.memberOf: member of no group`);
      for (const group of memberOf) {
        problems.push(checkRef(label(u), 'spec.memberOf', group, ['Group']));
      }
    }
    for (const p of products) {
      const from = label(p);
      problems.push(checkRef(from, 'spec.owner', p.spec.owner, ['Group']));
      if (p.spec.productOwner !== undefined) {
        problems.push(
          checkRef(from, 'spec.productOwner', p.spec.productOwner, ['User']),
        );
      }
      problems.push(checkRef(from, 'spec.domain', p.spec.domain, ['Domain']));
      if (p.spec.system !== undefined) {
        problems.push(checkRef(from, 'spec.system', p.spec.system, ['System']));
      }
      (p.spec.inputPorts ?? []).forEach((port, i) => {
        const field = `spec.inputPorts[${i}] (${port.name})`;
        if (port.source !== undefined) {
          problems.push(
            checkRef(from, `${field}.source`, port.source, [
              'Component',
              'API',
              'Resource',
            ]),
          );
        }
        if (port.dataProduct !== undefined) {
          const problem = checkRef(
            from,
            `${field}.dataProduct`,
            port.dataProduct,
            ['DataProduct'],
          );
          problems.push(problem);
          if (!problem) {
            const ref = parseEntityRef(port.dataProduct);
            const upstream = productByKey.get(
              keyOf(ref.kind, ref.namespace, ref.name),
            )!;
            const names = upstream.spec.outputPorts.map(o => o.name);
            if (!names.includes(port.outputPort ?? '')) {
              problems.push(
                `${from} ${field}.outputPort: "${
                  port.outputPort
                }" is not an output port of ${
                  port.dataProduct
                } (it has ${names.join(', ')})`,
              );
            }
          }
        }
      });
    }
    expect(problems.filter(Boolean)).toEqual([]);
  });

  it('is big enough: 5+ domains, 8+ teams, 30+ products of all three types', () => {
    const teams = ofKind('Group').filter(g => g.spec?.type === 'team');
    const types = new Set(products.map(p => p.spec.type));
    const counts = {
      domains: ofKind('Domain').length,
      teams: teams.length,
      dataProducts: products.length,
    };
    expect({
      counts,
      enoughDomains: counts.domains >= 5,
      enoughTeams: counts.teams >= 8,
      enoughDataProducts: counts.dataProducts >= 30,
    }).toMatchObject({
      enoughDomains: true,
      enoughTeams: true,
      enoughDataProducts: true,
    });
    expect([...types].sort()).toEqual([
      'aggregate',
      'consumer-aligned',
      'source-aligned',
    ]);
  });

  it('wires source-aligned products to sources and the others to upstream products', () => {
    const problems: string[] = [];
    for (const p of products) {
      const ports = p.spec.inputPorts ?? [];
      if (
        p.spec.type === 'source-aligned' &&
        !ports.some(port => port.source)
      ) {
        problems.push(
          `${label(p)} is source-aligned but reads no external source`,
        );
      }
      if (
        p.spec.type !== 'source-aligned' &&
        !ports.some(port => port.dataProduct)
      ) {
        problems.push(
          `${label(p)} is ${p.spec.type} but reads no upstream data product`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('has lineage at least 4 products deep and no cycles', () => {
    const { chains, cycles } = longestChains();
    expect(cycles).toEqual([]);
    const deepest = [...chains.values()].reduce(
      (a, b) => (b.length > a.length ? b : a),
      [],
    );
    const domains = new Set(
      deepest.map(key => productByKey.get(key)!.spec.domain),
    );
    // Shown on failure: the deepest chain found and the domains it crosses.
    expect({
      chain: deepest.join(' -> '),
      atLeastFourDeep: deepest.length >= 4,
      crossesDomains: domains.size > 1,
    }).toMatchObject({ atLeastFourDeep: true, crossesDomains: true });
  });

  it('uses output port addresses that are unique across the mesh and match their port', () => {
    const seen = new Map<string, string>();
    const problems: string[] = [];
    const expectedScheme = (port: OutputPort) => {
      if (port.type === 'topic') return 'kafka';
      if (port.type === 'api') return 'https';
      return (
        (
          {
            iceberg: 'iceberg',
            snowflake: 'snowflake',
            bigquery: 'bigquery',
          } as Record<string, string>
        )[port.format] ?? 's3'
      );
    };
    for (const p of products) {
      for (const port of p.spec.outputPorts) {
        const owner = `${label(p)} output port ${port.name}`;
        const earlier = seen.get(port.address);
        if (earlier)
          problems.push(
            `${owner}: address ${port.address} is also used by ${earlier}`,
          );
        seen.set(port.address, owner);
        const scheme = port.address.split('://')[0];
        if (scheme !== expectedScheme(port)) {
          problems.push(
            `${owner}: ${port.type}/${
              port.format
            } port should use ${expectedScheme(port)}://, not ${scheme}://`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('points local contracts at ODCS v3 documents of the same version', () => {
    const problems: string[] = [];
    for (const { entity, file } of entities) {
      if (entity.kind !== 'DataProduct') continue;
      for (const port of (entity as DataProductEntity).spec.outputPorts) {
        const contract = port.contract;
        if (!contract || /^[a-z][a-z0-9+.-]*:\/\//i.test(contract.location))
          continue;
        const owner = `${label(entity)} output port ${port.name}`;
        const contractFile = path.resolve(
          repoRoot,
          path.dirname(file),
          contract.location,
        );
        if (!fs.existsSync(contractFile)) {
          problems.push(
            `${owner}: contract ${contract.location} does not exist`,
          );
          continue;
        }
        const [doc] = readYamlDocuments(contractFile) as any[];
        if (doc?.apiVersion !== 'v3.0.0' || doc?.kind !== 'DataContract') {
          problems.push(
            `${owner}: ${contract.location} is not an ODCS v3.0.0 DataContract`,
          );
        }
        for (const field of ['id', 'name', 'status', 'schema']) {
          if (doc?.[field] === undefined)
            problems.push(`${owner}: ${contract.location} has no ${field}`);
        }
        if (String(doc?.version) !== contract.version) {
          problems.push(
            `${owner}: refers to contract version ${contract.version}, ${contract.location} is ${doc?.version}`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every API a definition that parses', () => {
    const problems: string[] = [];
    for (const api of ofKind('API')) {
      const type = api.spec?.type as string;
      const docs = parseAllDocuments(String(api.spec?.definition ?? ''));
      const definition = docs[0]?.toJS();
      if (
        docs.some(d => d.errors.length > 0) ||
        typeof definition !== 'object' ||
        !definition
      ) {
        problems.push(`${label(api)}: definition is not a YAML document`);
      } else if (!(type in definition)) {
        problems.push(
          `${label(
            api,
          )}: spec.type is ${type} but the definition has no "${type}" version field`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('contains the deliberately imperfect products, each named in examples/README.md', () => {
    const withoutSlos = products.filter(p => p.spec.slos === undefined);
    const withoutProductOwner = products.filter(
      p => p.spec.productOwner === undefined,
    );
    const piiWithoutRetention = products.filter(
      p => p.spec.containsPii === true && p.spec.retention === undefined,
    );
    const deprecatedButConsumed = products.filter(
      p => p.spec.lifecycle === 'deprecated' && isConsumed(p),
    );
    const withoutContract = products.filter(p =>
      p.spec.outputPorts.every(o => !o.contract),
    );

    const found = {
      withoutSlos: withoutSlos.map(p => p.metadata.name),
      withoutProductOwner: withoutProductOwner.map(p => p.metadata.name),
      piiWithoutRetention: piiWithoutRetention.map(p => p.metadata.name),
      deprecatedButConsumed: deprecatedButConsumed.map(p => p.metadata.name),
      withoutContract: withoutContract.map(p => p.metadata.name),
    };
    for (const [problem, names] of Object.entries(found)) {
      expect({ problem, count: names.length > 0 ? 'some' : 'none' }).toEqual({
        problem,
        count: 'some',
      });
    }

    const readme = fs.readFileSync(path.join(examplesDir, 'README.md'), 'utf8');
    const undocumented = [...new Set(Object.values(found).flat())].filter(
      name => !readme.includes(`\`${name}\``),
    );
    expect(undocumented).toEqual([]);
  });
});
