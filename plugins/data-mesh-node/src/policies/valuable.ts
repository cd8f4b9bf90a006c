import type { DataMeshPolicy } from '../engine/types';
import { fail, inputPorts, notApplicable, pass, selfRef } from './helpers';

export const valuablePolicies: DataMeshPolicy[] = [
  {
    id: 'quanta.lineage-declared',
    title: 'Lineage declared',
    attribute: 'valuable-on-its-own',
    severity: 'warning',
    rationale:
      'Consumers judge data by where it comes from; lineage also shows who is hit when a source changes.',
    howToFix:
      'Declare what the product reads in spec.inputPorts: a source (Component, API or Resource) for source-aligned products, an upstream dataProduct with its outputPort for aggregate and consumer-aligned ones.',
    check: product => {
      const type = product.spec?.type;
      const ports = inputPorts(product);
      if (type === 'source-aligned') {
        return ports.some(p => p.source)
          ? pass()
          : fail(
              'Source-aligned, but no input port reads a source (spec.inputPorts[].source)',
            );
      }
      if (type === 'aggregate' || type === 'consumer-aligned') {
        return ports.some(p => p.dataProduct)
          ? pass()
          : fail(
              `${
                type === 'aggregate' ? 'Aggregate' : 'Consumer-aligned'
              }, but no input port reads an upstream data product (spec.inputPorts[].dataProduct)`,
            );
      }
      return notApplicable('The product declares no known spec.type');
    },
  },
  {
    id: 'quanta.has-consumers',
    title: 'Production products are used',
    attribute: 'valuable-on-its-own',
    severity: 'info',
    rationale:
      'A product in production that no other product reads may not be worth its running cost.',
    howToFix:
      'Find the teams that need the data and have them read it through spec.inputPorts[].dataProduct, or change spec.type to consumer-aligned if people use it directly, or set spec.lifecycle to deprecated.',
    check: (product, { mesh }) => {
      if (product.spec?.lifecycle !== 'production') {
        return notApplicable('Not in production');
      }
      if (product.spec.type === 'consumer-aligned') return pass();
      const self = selfRef(product);
      return mesh.consumersOf(self).some(ref => ref !== self)
        ? pass()
        : fail(
            'In production, but no data product reads it and it is not consumer-aligned',
          );
    },
  },
];
