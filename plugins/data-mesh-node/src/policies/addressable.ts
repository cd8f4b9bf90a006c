import type { DataMeshPolicy } from '../engine/types';
import {
  failIfAny,
  listOf,
  notApplicable,
  outputPorts,
  selfRef,
  text,
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
      const ports = outputPorts(product);
      if (!ports.length)
        return notApplicable('The product has no output ports');
      const self = selfRef(product);
      const problems: string[] = [];
      ports.forEach(({ port, name }, i) => {
        const address = text(port.address);
        if (!address) return;
        const earlier = ports
          .slice(0, i)
          .find(other => text(other.port.address) === address);
        if (earlier) {
          problems.push(
            `Output port ${name} has the same address as output port ${earlier.name} (${address})`,
          );
        }
        const others = unique(mesh.productsServing(address)).filter(
          ref => ref !== self,
        );
        if (others.length) {
          problems.push(
            `Output port ${name} address ${address} is also served by ${listOf(
              others,
            )}`,
          );
        }
      });
      return failIfAny(problems);
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
      if (!ports.length)
        return notApplicable('The product has no output ports');
      return failIfAny(
        ports.flatMap(({ port, name }) => {
          const address = text(port.address);
          if (!address) return [];
          const scheme = SCHEME.exec(address)?.[1]?.toLocaleLowerCase('en-US');
          if (!scheme) {
            return [
              `Output port ${name} address ${address} has no scheme such as s3:// or kafka://`,
            ];
          }
          const expected = SCHEMES_BY_PORT_TYPE[port.type];
          if (!expected || expected.includes(scheme)) return [];
          return [
            `Output port ${name} is of type ${
              port.type
            } but its address uses ${scheme}://; expected ${listOf(
              expected.map(s => `${s}://`),
              'or',
            )}`,
          ];
        }),
      );
    },
  },
];
