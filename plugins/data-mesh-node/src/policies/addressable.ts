import { lowerRef } from '../engine/facts';
import { productsServing } from '../engine/indexedProducts';
import type { DataMeshPolicy } from '../engine/types';
import {
  NO_OUTPUT_PORTS,
  add,
  failIfAny,
  listOf,
  outputPorts,
  pass,
  prepared,
  unique,
} from './helpers';

/** URL schemes a port of each type is expected to use; types not listed take any scheme. */
export const SCHEMES_BY_PORT_TYPE: Record<string, string[]> = {
  topic: ['kafka', 'pulsar', 'kinesis'],
  api: ['http', 'https', 'grpc'],
};

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

export const addressablePolicies: DataMeshPolicy[] = [
  {
    id: 'quanta.output-port-address-unique',
    title: 'Output port addresses are unique in the mesh',
    attribute: 'addressable',
    severity: 'error',
    rationale:
      'An address served by two products is ambiguous: consumers cannot tell whose data they read.',
    howToFix:
      'Change spec.outputPorts[].address so that no other output port of this or any other product uses it.',
    check: (product, { mesh }) => {
      const facts = prepared(product);
      const ports = facts.outputPorts;
      if (!ports.length) return NO_OUTPUT_PORTS;
      // The index met every address of the mesh once, this product's too.
      if (facts.indexed?.addressesUnique && facts.mesh === mesh) return pass();
      const self = facts.ref;
      let problems: string[] | undefined;
      for (let i = 0; i < ports.length; i++) {
        const { address, name } = ports[i];
        if (!address) continue;
        for (let j = 0; j < i; j++) {
          if (ports[j].address === address) {
            problems = add(
              problems,
              `Output port ${name} has the same address as output port ${ports[j].name} (${address})`,
            );
            break;
          }
        }
        const serving = productsServing(mesh, address);
        // Nearly always the product itself is the only one serving it.
        if (serving === self) continue;
        const others =
          typeof serving === 'string'
            ? [serving]
            : unique(serving).filter(ref => ref !== self);
        if (others.length) {
          problems = add(
            problems,
            `Output port ${name} address ${address} is also served by ${listOf(
              others,
            )}`,
          );
        }
      }
      return problems ? failIfAny(problems) : pass();
    },
  },
  {
    id: 'quanta.address-scheme-matches-type',
    title: 'Address schemes match the port types',
    attribute: 'addressable',
    severity: 'info',
    rationale:
      "The address scheme tells consumers' tools how to connect; a topic behind s3:// misleads them.",
    howToFix:
      'Give each spec.outputPorts[].address a scheme that fits its type: kafka://, pulsar:// or kinesis:// for topics, http://, https:// or grpc:// for APIs.',
    check: product => {
      const ports = outputPorts(product);
      if (!ports.length) return NO_OUTPUT_PORTS;
      let problems: string[] | undefined;
      for (const { port, name, address } of ports) {
        if (!address) continue;
        const match = SCHEME.exec(address);
        const scheme = match && lowerRef(match[1]);
        if (!scheme) {
          problems = add(
            problems,
            `Output port ${name} address ${address} has no scheme such as s3:// or kafka://`,
          );
          continue;
        }
        const expected = SCHEMES_BY_PORT_TYPE[port.type];
        if (!expected || expected.includes(scheme)) continue;
        problems = add(
          problems,
          `Output port ${name} is of type ${
            port.type
          } but its address uses ${scheme}://; expected ${listOf(
            expected.map(s => `${s}://`),
            'or',
          )}`,
        );
      }
      return problems ? failIfAny(problems) : pass();
    },
  },
];
