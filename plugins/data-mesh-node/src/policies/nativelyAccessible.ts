import { lowerRef } from '../engine/facts';
import type { DataMeshPolicy } from '../engine/types';
import { NO_OUTPUT_PORTS, add, fail, outputPorts, pass } from './helpers';

/**
 * Formats that consumers' native tools read for each port type: stream
 * clients for topics, HTTP clients for APIs, file readers for files. Tables
 * and views are read through their engine, whatever it stores.
 */
const NATIVE_FORMATS: Partial<Record<string, string[]>> = {
  topic: ['avro', 'json', 'jsonl', 'protobuf'],
  api: ['json', 'protobuf', 'xml', 'csv'],
  file: ['parquet', 'avro', 'csv', 'json', 'jsonl', 'orc', 'arrow'],
};

export const nativelyAccessiblePolicies: DataMeshPolicy[] = [
  {
    id: 'quanta.format-fits-port-type',
    title: 'Each output port serves a format its type is read in',
    attribute: 'natively-accessible',
    severity: 'warning',
    rationale:
      'Consumers read a port with the tools native to its type; a topic in CSV or a file in a table format needs custom code.',
    howToFix:
      'Set spec.outputPorts[].format to one its type is read in: avro, json, jsonl or protobuf for a topic; json, protobuf, xml or csv for an api; parquet, avro, csv, json, jsonl, orc or arrow for a file.',
    check: product => {
      const ports = outputPorts(product);
      if (!ports.length) return NO_OUTPUT_PORTS;
      let misfits: string[] | undefined;
      for (const { name, port } of ports) {
        const allowed = NATIVE_FORMATS[String(port.type)];
        if (!allowed) continue;
        const format = lowerRef(String(port.format ?? ''));
        if (!allowed.includes(format)) {
          misfits = add(
            misfits,
            `Output port ${name} is a ${port.type} served as ${
              format || 'no format'
            }`,
          );
        }
      }
      return misfits ? fail(misfits.join('; ')) : pass();
    },
  },
];
