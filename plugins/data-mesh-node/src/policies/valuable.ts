import type { DataMeshPolicy } from '../engine/types';
import { consumersOf } from '../engine/facts';
import {
  NOT_IN_PRODUCTION,
  constant,
  fail,
  inputPorts,
  notApplicable,
  pass,
  prepared,
} from './helpers';

const NO_SOURCE = constant(
  fail(
    'Source-aligned, but no input port reads a source (spec.inputPorts[].source)',
  ),
);
const NO_KNOWN_TYPE = constant(
  notApplicable('The product declares no known spec.type'),
);
const UNUSED = constant(
  fail(
    'In production, but no data product reads it and it is not consumer-aligned',
  ),
);

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
        for (const port of ports) if (port.sourceRef) return pass();
        return NO_SOURCE;
      }
      if (type === 'aggregate' || type === 'consumer-aligned') {
        for (const port of ports) if (port.dataProductRef) return pass();
        return fail(
          `${
            type === 'aggregate' ? 'Aggregate' : 'Consumer-aligned'
          }, but no input port reads an upstream data product (spec.inputPorts[].dataProduct)`,
        );
      }
      return NO_KNOWN_TYPE;
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
      if (product.spec?.lifecycle !== 'production') return NOT_IN_PRODUCTION;
      if (product.spec.type === 'consumer-aligned') return pass();
      const facts = prepared(product);
      for (const ref of consumersOf(facts, mesh)) {
        if (ref !== facts.ref) return pass();
      }
      return UNUSED;
    },
  },
];
