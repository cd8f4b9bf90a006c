import type { DataMeshPolicy } from '../engine/types';
import {
  fail,
  failIfAny,
  notApplicable,
  outputPorts,
  pass,
  portsLacking,
  text,
} from './helpers';

/** Serialization and table formats any consumer's tools can read without a vendor. */
export const OPEN_FORMATS = [
  'parquet',
  'avro',
  'json',
  'iceberg',
  'delta',
  'csv',
  'orc',
  'protobuf',
  'jsonl',
  'hudi',
  'arrow',
];

/** Semantic Versioning 2.0.0: MAJOR.MINOR.PATCH, optionally -pre-release and +build. */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export const interoperablePolicies: DataMeshPolicy[] = [
  {
    id: 'quanta.output-port-contract',
    title: 'Every output port has a contract',
    attribute: 'interoperable',
    severity: 'error',
    rationale:
      'A data contract is the promise consumers build on; without one any change may break them.',
    howToFix:
      'Add spec.outputPorts[].contract with the location of an ODCS contract and its version, such as location: ./contracts/orders.odcs.yaml, version: 1.0.0.',
    check: product => {
      const ports = outputPorts(product);
      if (!ports.length)
        return notApplicable('The product has no output ports');
      const lacking = ports
        .filter(({ port }) => !text(port.contract?.location))
        .map(p => p.name);
      return lacking.length
        ? fail(portsLacking(lacking, 'no contract'))
        : pass();
    },
  },
  {
    id: 'quanta.contract-version-semver',
    title: 'Contract versions are semantic versions',
    attribute: 'interoperable',
    severity: 'info',
    rationale:
      'Semantic versions tell consumers at a glance whether a contract change breaks them.',
    howToFix:
      'Set spec.outputPorts[].contract.version to a semantic version such as 1.2.0, raising the major version on breaking changes.',
    check: product => {
      const withContract = outputPorts(product).filter(
        ({ port }) => port.contract && typeof port.contract === 'object',
      );
      if (!withContract.length) {
        return notApplicable('No output port has a contract');
      }
      return failIfAny(
        withContract.flatMap(({ port, name }) => {
          const version = port.contract?.version;
          if (version === undefined || version === null || version === '') {
            return [`Output port ${name} contract has no version`];
          }
          return SEMVER.test(String(version))
            ? []
            : [
                `Output port ${name} contract version "${version}" is not a semantic version such as 1.2.0`,
              ];
        }),
      );
    },
  },
  {
    id: 'quanta.open-format',
    title: 'Open formats',
    attribute: 'interoperable',
    severity: 'info',
    rationale:
      'Open formats let every consumer read the data with their own tools, without a vendor in between.',
    howToFix: `Serve each output port in an open format and set spec.outputPorts[].format to it: one of ${OPEN_FORMATS.join(
      ', ',
    )}.`,
    check: product => {
      const ports = outputPorts(product);
      if (!ports.length)
        return notApplicable('The product has no output ports');
      return failIfAny(
        ports.flatMap(({ port, name }) => {
          const format = text(port.format);
          if (!format) return [`Output port ${name} declares no format`];
          return OPEN_FORMATS.includes(format.toLocaleLowerCase('en-US'))
            ? []
            : [
                `Output port ${name} uses format ${format}, which is not an open standard`,
              ];
        }),
      );
    },
  },
];
