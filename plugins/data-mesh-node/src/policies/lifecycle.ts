import { describeValue } from '@quanta/plugin-data-mesh-common';
import type { DataMeshPolicy } from '../engine/types';
import {
  failIfAny,
  fail,
  inputPorts,
  lifecycleOf,
  listOf,
  notApplicable,
  pass,
  refText,
  selfRef,
  text,
  upstreamProducts,
} from './helpers';

const ENDING = ['deprecated', 'retired'];

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
      const upstream = upstreamProducts(product, mesh);
      if (!upstream.length) {
        return notApplicable('Reads no upstream data product');
      }
      return failIfAny(
        upstream.flatMap(({ ref, entity }) => {
          const lifecycle = lifecycleOf(entity);
          return lifecycle && ENDING.includes(lifecycle)
            ? [`Reads ${ref}, which is ${lifecycle}`]
            : [];
        }),
      );
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
      const ports = inputPorts(product);
      if (!ports.length) return notApplicable('The product has no input ports');
      return failIfAny(
        ports.flatMap(({ port, index, name, dataProduct, source }) => {
          const ref = dataProduct ?? source;
          if (ref) {
            const shown = refText(ref);
            return mesh.get(shown)
              ? []
              : [
                  `Input port ${name} reads ${shown}, which is not in the catalog`,
                ];
          }
          if (port.dataProduct !== undefined) {
            return [
              `Input port ${name}: spec.inputPorts[${index}].dataProduct ${describeValue(
                port.dataProduct,
              )} is not a DataProduct reference`,
            ];
          }
          if (port.source !== undefined) {
            return [
              `Input port ${name}: spec.inputPorts[${index}].source ${describeValue(
                port.source,
              )} is not a Component, API or Resource reference`,
            ];
          }
          return [
            `Input port ${name} reads nothing: it has neither dataProduct nor source`,
          ];
        }),
      );
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
      const reading = inputPorts(product).flatMap(p => {
        if (!p.dataProduct) return [];
        const ref = refText(p.dataProduct);
        const upstream = mesh.get(ref)?.entity;
        return upstream ? [{ ...p, ref, upstream }] : [];
      });
      if (!reading.length) {
        return notApplicable('Reads no upstream data product in the catalog');
      }
      return failIfAny(
        reading.flatMap(({ port, index, name, ref, upstream }) => {
          const wanted = text(port.outputPort);
          if (!wanted) {
            return [
              `Input port ${name} names no output port of ${ref} (spec.inputPorts[${index}].outputPort)`,
            ];
          }
          const served: string[] = (
            Array.isArray(upstream.spec?.outputPorts)
              ? upstream.spec.outputPorts
              : []
          )
            .map((p: any) => text(p?.name))
            .filter((n: string | undefined): n is string => !!n);
          if (served.includes(wanted)) return [];
          return [
            `Input port ${name} reads output port ${wanted} of ${ref}, which has no such port (${
              served.length
                ? `it serves ${listOf(served)}`
                : 'it serves no ports'
            })`,
          ];
        }),
      );
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
      if (!lifecycle || !ENDING.includes(lifecycle)) {
        return notApplicable('Neither deprecated nor retired');
      }
      const self = selfRef(product);
      const consumers = mesh.consumersOf(self).filter(ref => ref !== self);
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
      if (product.spec?.lifecycle !== 'production') {
        return notApplicable('Not in production');
      }
      const upstream = upstreamProducts(product, mesh);
      if (!upstream.length) {
        return notApplicable('Reads no upstream data product');
      }
      const experimental = upstream
        .filter(({ entity }) => lifecycleOf(entity) === 'experimental')
        .map(({ ref }) => ref);
      return experimental.length
        ? fail(
            `In production, but reads ${listOf(experimental)}, which ${
              experimental.length === 1 ? 'is' : 'are'
            } experimental`,
          )
        : pass();
    },
  },
];
