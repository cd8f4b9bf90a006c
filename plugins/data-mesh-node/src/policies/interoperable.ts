import { lowerRef } from '../engine/facts';
import type { DataMeshPolicy } from '../engine/types';
import {
  NO_OUTPUT_PORTS,
  add,
  constant,
  fail,
  failIfAny,
  notApplicable,
  outputPorts,
  pass,
  portsLacking,
  Recurring,
  type RecurringNode,
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

const OPEN = new Set(OPEN_FORMATS);

const NO_CONTRACT = constant(notApplicable('No output port has a contract'));

// Failures by the names of the ports they list; see Recurring.
const portsWithoutContract = new Recurring();

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
      if (!ports.length) return NO_OUTPUT_PORTS;
      let lacking: RecurringNode | undefined;
      for (const { port, name } of ports) {
        if (!text(port.contract?.location)) {
          lacking = portsWithoutContract.step(lacking, name);
        }
      }
      return lacking
        ? portsWithoutContract.outcome(lacking, names =>
            fail(portsLacking(names as string[], 'no contract')),
          )
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
      let withContract = false;
      let problems: string[] | undefined;
      for (const { port, name } of outputPorts(product)) {
        if (!port.contract || typeof port.contract !== 'object') continue;
        withContract = true;
        const version = port.contract.version;
        if (version === undefined || version === null || version === '') {
          problems = add(
            problems,
            `Output port ${name} contract has no version`,
          );
        } else if (!SEMVER.test(String(version))) {
          problems = add(
            problems,
            `Output port ${name} contract version "${version}" is not a semantic version such as 1.2.0`,
          );
        }
      }
      if (!withContract) return NO_CONTRACT;
      return problems ? failIfAny(problems) : pass();
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
      if (!ports.length) return NO_OUTPUT_PORTS;
      let problems: string[] | undefined;
      for (const { port, name } of ports) {
        const format = text(port.format);
        if (!format) {
          problems = add(problems, `Output port ${name} declares no format`);
        } else if (!OPEN.has(lowerRef(format))) {
          problems = add(
            problems,
            `Output port ${name} uses format ${format}, which is not an open standard`,
          );
        }
      }
      return problems ? failIfAny(problems) : pass();
    },
  },
];
