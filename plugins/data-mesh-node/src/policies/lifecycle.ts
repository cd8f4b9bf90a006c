import type { Entity } from '@backstage/catalog-model';
import { describeValue } from '@quanta/plugin-data-mesh-common';
import type { DataMeshPolicy } from '../engine/types';
import { consumersOf, firstUpstreamAt, inputEntity } from '../engine/facts';
import {
  NOT_IN_PRODUCTION,
  add,
  constant,
  fail,
  failIfAny,
  lifecycleOf,
  listOf,
  notApplicable,
  pass,
  prepared,
  text,
} from './helpers';

const ENDING = ['deprecated', 'retired'];

const READS_NO_UPSTREAM = constant(
  notApplicable('Reads no upstream data product'),
);
const NO_INPUT_PORTS = constant(
  notApplicable('The product has no input ports'),
);
const NO_UPSTREAM_IN_CATALOG = constant(
  notApplicable('Reads no upstream data product in the catalog'),
);
const NOT_ENDING = constant(notApplicable('Neither deprecated nor retired'));

/** The names of the output ports an upstream product serves. */
function servedPorts(upstream: Entity): string[] {
  return (
    Array.isArray(upstream.spec?.outputPorts) ? upstream.spec.outputPorts : []
  )
    .map((p: any) => text(p?.name))
    .filter((n: string | undefined): n is string => !!n);
}

/** Whether an upstream product serves an output port of this name. */
function serves(upstream: Entity, wanted: string): boolean {
  const ports = upstream.spec?.outputPorts;
  if (!Array.isArray(ports)) return false;
  for (const port of ports as Array<{ name?: unknown } | null>) {
    if (text(port?.name) === wanted) return true;
  }
  return false;
}

export const lifecyclePolicies: DataMeshPolicy[] = [
  {
    id: 'quanta.no-deprecated-dependency',
    title: 'Reads no deprecated or retired product',
    attribute: 'lifecycle',
    severity: 'error',
    rationale:
      'A deprecated upstream is about to stop; everything built on it stops with it.',
    howToFix:
      'Move the input port (spec.inputPorts[].dataProduct and .outputPort) to the product that replaces the deprecated one.',
    check: (product, { mesh }) => {
      const facts = prepared(product);
      let readsUpstream = false;
      let problems: string[] | undefined;
      for (let i = 0; i < facts.inputPorts.length; i++) {
        const ref = firstUpstreamAt(facts, i);
        if (!ref) continue;
        readsUpstream = true;
        const lifecycle = lifecycleOf(inputEntity(facts, mesh, i));
        if (lifecycle && ENDING.includes(lifecycle)) {
          problems = add(problems, `Reads ${ref}, which is ${lifecycle}`);
        }
      }
      if (!readsUpstream) return READS_NO_UPSTREAM;
      return problems ? failIfAny(problems) : pass();
    },
  },
  {
    id: 'quanta.upstream-exists',
    title: 'Every upstream is in the catalog',
    attribute: 'lifecycle',
    severity: 'error',
    rationale:
      'An input port reading something the catalog does not know breaks lineage and hides a dependency.',
    howToFix:
      'Point spec.inputPorts[].dataProduct or .source at an entity registered in the catalog, or register the missing entity.',
    check: (product, { mesh }) => {
      const facts = prepared(product);
      const ports = facts.inputPorts;
      if (!ports.length) return NO_INPUT_PORTS;
      let problems: string[] | undefined;
      for (let i = 0; i < ports.length; i++) {
        const { port, index, name, dataProductRef, sourceRef } = ports[i];
        const shown = dataProductRef ?? sourceRef;
        let problem: string | undefined;
        if (shown) {
          if (inputEntity(facts, mesh, i)) continue;
          problem = `Input port ${name} reads ${shown}, which is not in the catalog`;
        } else if (port.dataProduct !== undefined) {
          problem = `Input port ${name}: spec.inputPorts[${index}].dataProduct ${describeValue(
            port.dataProduct,
          )} is not a DataProduct reference`;
        } else if (port.source !== undefined) {
          problem = `Input port ${name}: spec.inputPorts[${index}].source ${describeValue(
            port.source,
          )} is not a Component, API or Resource reference`;
        } else {
          problem = `Input port ${name} reads nothing: it has neither dataProduct nor source`;
        }
        problems = add(problems, problem);
      }
      return problems ? failIfAny(problems) : pass();
    },
  },
  {
    id: 'quanta.upstream-output-port-exists',
    title: 'Every upstream output port exists',
    attribute: 'lifecycle',
    severity: 'error',
    rationale:
      'An input port naming an output port the upstream does not serve reads nothing, or something renamed.',
    howToFix:
      'Set spec.inputPorts[].outputPort to the name of an output port the upstream product declares in its spec.outputPorts.',
    check: (product, { mesh }) => {
      const facts = prepared(product);
      const ports = facts.inputPorts;
      let reading = false;
      let problems: string[] | undefined;
      for (let i = 0; i < ports.length; i++) {
        const { port, index, name, dataProductRef: ref } = ports[i];
        if (!ref) continue;
        const upstream = inputEntity(facts, mesh, i);
        if (!upstream) continue;
        reading = true;
        const wanted = text(port.outputPort);
        if (!wanted) {
          problems = add(
            problems,
            `Input port ${name} names no output port of ${ref} (spec.inputPorts[${index}].outputPort)`,
          );
          continue;
        }
        if (serves(upstream, wanted)) continue;
        const served = servedPorts(upstream);
        problems = add(
          problems,
          `Input port ${name} reads output port ${wanted} of ${ref}, which has no such port (${
            served.length ? `it serves ${listOf(served)}` : 'it serves no ports'
          })`,
        );
      }
      if (!reading) return NO_UPSTREAM_IN_CATALOG;
      return problems ? failIfAny(problems) : pass();
    },
  },
  {
    id: 'quanta.deprecated-without-consumers',
    title: 'Deprecated products have no consumers left',
    attribute: 'lifecycle',
    severity: 'warning',
    rationale:
      'A deprecated product can only be switched off once nothing reads it any more.',
    howToFix:
      'Move the consumers to the replacement product, so that no spec.inputPorts[].dataProduct in the mesh names this one; until then keep spec.lifecycle deprecated.',
    check: (product, { mesh }) => {
      const lifecycle = text(product.spec?.lifecycle);
      if (!lifecycle || !ENDING.includes(lifecycle)) return NOT_ENDING;
      const facts = prepared(product);
      const self = facts.ref;
      const consumers = consumersOf(facts, mesh).filter(ref => ref !== self);
      return consumers.length
        ? fail(
            `${
              lifecycle === 'deprecated' ? 'Deprecated' : 'Retired'
            }, but still read by ${listOf(consumers)}`,
          )
        : pass();
    },
  },
  {
    id: 'quanta.production-reads-no-experimental',
    title: 'Production products read no experimental products',
    attribute: 'lifecycle',
    severity: 'warning',
    rationale:
      'An experimental upstream may change or vanish without notice, which a production product cannot absorb.',
    howToFix:
      'Have the upstream product promoted to spec.lifecycle: production, read a production product instead, or set this product back to spec.lifecycle: experimental.',
    check: (product, { mesh }) => {
      if (product.spec?.lifecycle !== 'production') return NOT_IN_PRODUCTION;
      const facts = prepared(product);
      let readsUpstream = false;
      let experimental: string[] | undefined;
      for (let i = 0; i < facts.inputPorts.length; i++) {
        const ref = firstUpstreamAt(facts, i);
        if (!ref) continue;
        readsUpstream = true;
        if (lifecycleOf(inputEntity(facts, mesh, i)) === 'experimental') {
          experimental = add(experimental, ref);
        }
      }
      if (!readsUpstream) return READS_NO_UPSTREAM;
      return experimental
        ? fail(
            `In production, but reads ${listOf(experimental)}, which ${
              experimental.length === 1 ? 'is' : 'are'
            } experimental`,
          )
        : pass();
    },
  },
];
