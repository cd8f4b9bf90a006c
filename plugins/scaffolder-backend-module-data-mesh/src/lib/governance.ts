import { type Entity, parseEntityRef } from '@backstage/catalog-model';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  entityRefKey,
  type DataProductEntity,
  type DataProductProblem,
  type PolicyDescription,
  type ProductScorecard,
  parseDataProductRefs,
} from '@quanta/plugin-data-mesh-common';
import {
  PolicyEngine,
  builtInPolicies,
  createMeshIndex,
  readConfigPolicies,
  readLevels,
  registerPolicies,
} from '@quanta/plugin-data-mesh-node';

/**
 * The engine the data mesh backend evaluates products with: the built-in
 * policies and those declared in app-config, with the same level ladder.
 * Policies that backend modules add in TypeScript live in the data-mesh
 * plugin and are not visible here, so levels that name them are trimmed to
 * the policies this engine knows.
 *
 * @public
 */
export function createScaffolderPolicyEngine(config: Config): PolicyEngine {
  const policies = [
    ...registerPolicies(builtInPolicies, 'built-in'),
    ...readConfigPolicies(config),
  ];
  const known = new Set(policies.map(p => p.description.id));
  const levels = readLevels(config).map(level => ({
    ...level,
    policies: level.policies.filter(id => known.has(id)),
  }));
  return new PolicyEngine({ policies, levels });
}

/** Group parents and user memberships are followed this deep, at most. */
const MAX_ROUNDS = 8;

/**
 * Reads from the catalog every entity the policies look at for this product:
 * owner, product owner and their teams up the hierarchy, domain, system,
 * upstream products and sources, and the products that already serve one of
 * its output port addresses.
 */
export async function loadNeighbourhood(
  product: DataProductEntity,
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<Entity[]> {
  const { refs } = parseDataProductRefs(product);
  const wanted = new Set<string>();
  for (const ref of [
    refs.owner,
    refs.productOwner,
    refs.domain,
    refs.system,
    ...refs.inputPorts.flatMap(p => [p.dataProduct, p.source]),
  ]) {
    if (ref) wanted.add(entityRefKey(ref));
  }

  const loaded = new Map<string, Entity>();
  const asked = new Set<string>();
  let pending = [...wanted];
  for (let round = 0; pending.length && round < MAX_ROUNDS; round++) {
    pending.forEach(ref => asked.add(ref));
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: pending },
      { credentials },
    );
    const next = new Set<string>();
    for (const entity of items) {
      if (!entity) continue;
      const ref = entityRefKey(entity);
      loaded.set(ref, entity);
      for (const related of relatedGroups(entity)) {
        if (!asked.has(related)) next.add(related);
      }
    }
    pending = [...next];
  }

  const addresses = (product.spec.outputPorts ?? [])
    .map(p => p?.address)
    .filter((a): a is string => typeof a === 'string' && a.length > 0);
  if (addresses.length) {
    const { items } = await catalog.getEntities(
      {
        filter: addresses.map(address => ({
          kind: 'DataProduct',
          'spec.outputPorts.address': address,
        })),
      },
      { credentials },
    );
    for (const entity of items) {
      loaded.set(entityRefKey(entity), entity);
    }
  }
  return [...loaded.values()];
}

/** Teams a user belongs to, or the parent of a team. */
function relatedGroups(entity: Entity): string[] {
  const namespace = entity.metadata.namespace ?? 'default';
  const kind = entity.kind.toLocaleLowerCase('en-US');
  let values: unknown[] = [];
  if (kind === 'user') values = [entity.spec?.memberOf].flat();
  if (kind === 'group') values = [entity.spec?.parent];
  return values.flatMap(value => {
    if (typeof value !== 'string' || !value) return [];
    try {
      return [
        entityRefKey(
          parseEntityRef(value, {
            defaultKind: 'group',
            defaultNamespace: namespace,
          }),
        ),
      ];
    } catch {
      return [];
    }
  });
}

/** One policy a product fails, with what a person needs to act on it. */
export type Finding = {
  policyId: string;
  title: string;
  severity: PolicyDescription['severity'];
  message: string;
  howToFix: string;
};

export type GovernanceVerdict = {
  scorecard: ProductScorecard;
  errors: Finding[];
  warnings: Finding[];
  infos: Finding[];
};

/** Evaluates the new product against the mesh as the backend will once it exists. */
export function evaluateProduct(
  engine: PolicyEngine,
  product: DataProductEntity,
  neighbourhood: Entity[],
  now: Date = new Date(),
): GovernanceVerdict {
  const self = entityRefKey(product);
  const mesh = createMeshIndex([
    ...neighbourhood.filter(e => entityRefKey(e) !== self),
    product,
  ]);
  const scorecard = engine.evaluate(product, { mesh, now, facts: {} });
  const described = new Map(engine.policies.map(p => [p.id, p]));
  const verdict: GovernanceVerdict = {
    scorecard,
    errors: [],
    warnings: [],
    infos: [],
  };
  for (const result of scorecard.results) {
    if (result.status !== 'fail' && result.status !== 'error') continue;
    const policy = described.get(result.policyId);
    if (!policy) continue;
    const finding: Finding = {
      policyId: policy.id,
      title: policy.title,
      severity: policy.severity,
      message:
        result.message ??
        (result.status === 'error' ? 'The policy failed to run' : 'Fails'),
      howToFix: policy.howToFix,
    };
    // A policy that could not run says nothing about the product, so it
    // warns rather than blocks.
    if (result.status === 'error' || policy.severity === 'warning') {
      verdict.warnings.push(finding);
    } else if (policy.severity === 'error') {
      verdict.errors.push(finding);
    } else {
      verdict.infos.push(finding);
    }
  }
  return verdict;
}

const PORT_FIELDS: Record<string, string> = {
  name: 'name',
  description: 'description',
  type: 'type',
  format: 'format',
  address: 'address',
  contract: 'contract',
  schema: 'fields',
  dataProduct: 'upstream data product',
  outputPort: 'upstream output port',
  source: 'source',
};

const SPEC_FIELDS: Record<string, string> = {
  type: 'Data product type',
  lifecycle: 'Lifecycle',
  owner: 'Owner',
  productOwner: 'Product owner',
  domain: 'Domain',
  system: 'System',
  slos: 'Service level objectives',
  classification: 'Classification',
  containsPii: 'Contains personal data',
  retention: 'Retention',
  regulations: 'Regulations',
};

/**
 * Names a descriptor field the way the form shows it:
 * `spec.outputPorts[1].format` reads "Output port 2, format".
 */
export function formLabel(path: string): string {
  const port = /^spec\.(outputPorts|inputPorts)\[(\d+)\](?:\.(\w+))?(.*)$/.exec(
    path,
  );
  if (port) {
    const [, list, index, field, rest] = port;
    const what = list === 'outputPorts' ? 'Output port' : 'Input port';
    const label = field ? `, ${PORT_FIELDS[field] ?? field}${rest}` : '';
    return `${what} ${Number(index) + 1}${label}`;
  }
  const spec = /^spec\.(\w+)(.*)$/.exec(path);
  if (spec && SPEC_FIELDS[spec[1]]) return `${SPEC_FIELDS[spec[1]]}${spec[2]}`;
  if (path === 'metadata.name') return 'Name';
  if (path === 'metadata.description') return 'Description';
  return path;
}

/** A schema problem as a sentence for the person who filled in the form. */
export function describeProblem(problem: DataProductProblem): string {
  return `${formLabel(problem.path)} (${problem.path}): found ${
    problem.found
  }, expected ${problem.expected}`;
}

/** A failing policy as a sentence for the person who filled in the form. */
export function describeFinding(finding: Finding): string {
  const message = finding.message.replace(/\.\s*$/, '');
  return `${finding.title} [${finding.policyId}]: ${message}. To fix: ${finding.howToFix}`;
}
