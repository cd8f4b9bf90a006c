import type { DataMeshPolicy } from '../engine/types';
import {
  NO_OUTPUT_PORTS,
  constant,
  fail,
  failIfAny,
  listOf,
  notApplicable,
  outputPorts,
  pass,
  portsLacking,
  Recurring,
  type RecurringNode,
  text,
} from './helpers';

export const TECHDOCS_ANNOTATION = 'backstage.io/techdocs-ref';

const NO_INLINE_SCHEMA = constant(
  notApplicable('No output port has an inline schema'),
);
const NO_DOCUMENTATION = constant(
  fail(
    `No documentation: metadata.links is empty and there is no ${TECHDOCS_ANNOTATION} annotation`,
  ),
);

// Failures by the names they list; see Recurring.
const undescribedPorts = new Recurring();
const undocumentedFields = new Recurring();
const portsWithoutDescription = new Recurring();
/** Closes the field names of one port in `undocumentedFields`. */
const PORT_END = Symbol('end of port');

export const understandablePolicies: DataMeshPolicy[] = [
  {
    id: 'quanta.documentation-linked',
    title: 'Documentation linked',
    attribute: 'understandable',
    severity: 'warning',
    rationale:
      'Consumers need documentation on how the data is produced and how to use it.',
    howToFix: `Add a link to the product's documentation under metadata.links, or add the ${TECHDOCS_ANNOTATION} annotation to publish TechDocs.`,
    check: product => {
      const links = product.metadata.links;
      if (Array.isArray(links)) {
        for (const link of links) if (text(link?.url)) return pass();
      }
      return text(product.metadata.annotations?.[TECHDOCS_ANNOTATION])
        ? pass()
        : NO_DOCUMENTATION;
    },
  },
  {
    id: 'quanta.output-port-schema-or-contract',
    title: 'Every output port describes its data',
    attribute: 'understandable',
    severity: 'warning',
    rationale:
      'A port without a schema or contract leaves consumers guessing at its fields and their meaning.',
    howToFix:
      'Give every output port a contract (spec.outputPorts[].contract) or an inline schema (spec.outputPorts[].schema).',
    check: product => {
      const ports = outputPorts(product);
      if (!ports.length) return NO_OUTPUT_PORTS;
      let lacking: RecurringNode | undefined;
      for (const { port, fields, name } of ports) {
        if (!port.contract && fields.length === 0) {
          lacking = undescribedPorts.step(lacking, name);
        }
      }
      return lacking
        ? undescribedPorts.outcome(lacking, names =>
            fail(
              portsLacking(
                names as string[],
                'neither an inline schema nor a contract',
              ),
            ),
          )
        : pass();
    },
  },
  {
    id: 'quanta.schema-fields-described',
    title: 'Schema fields described',
    attribute: 'understandable',
    severity: 'info',
    rationale:
      'A field name alone rarely says what the value means, its unit or its edge cases.',
    howToFix: 'Add a description to every field of spec.outputPorts[].schema.',
    check: product => {
      let withSchema = false;
      // The port names and undocumented field names, each port's list
      // closed by PORT_END.
      let undocumented: RecurringNode | undefined;
      for (const { fields, name } of outputPorts(product)) {
        if (!fields.length) continue;
        withSchema = true;
        let any = false;
        for (const field of fields) {
          if (text(field.description)) continue;
          if (!any) undocumented = undocumentedFields.step(undocumented, name);
          any = true;
          undocumented = undocumentedFields.step(undocumented, field.name);
        }
        if (any) {
          undocumented = undocumentedFields.step(undocumented, PORT_END);
        }
      }
      if (!withSchema) return NO_INLINE_SCHEMA;
      if (!undocumented) return pass();
      return undocumentedFields.outcome(undocumented, values => {
        const problems: string[] = [];
        for (let i = 0; i < values.length; ) {
          const port = values[i++];
          const names: unknown[] = [];
          while (values[i] !== PORT_END) names.push(values[i++]);
          i++;
          problems.push(
            `Output port ${port}: ${
              names.length === 1 ? 'field' : 'fields'
            } ${listOf(names as string[])} ${
              names.length === 1 ? 'has' : 'have'
            } no description`,
          );
        }
        return failIfAny(problems);
      });
    },
  },
  {
    id: 'quanta.output-ports-described',
    title: 'Output ports described',
    attribute: 'understandable',
    severity: 'info',
    rationale:
      'Consumers choose between ports by what each one offers and how often it changes.',
    howToFix:
      'Set spec.outputPorts[].description on every output port, saying what the port serves and how it is partitioned or updated.',
    check: product => {
      const ports = outputPorts(product);
      if (!ports.length) return NO_OUTPUT_PORTS;
      let lacking: RecurringNode | undefined;
      for (const { port, name } of ports) {
        if (!text(port.description)) {
          lacking = portsWithoutDescription.step(lacking, name);
        }
      }
      return lacking
        ? portsWithoutDescription.outcome(lacking, names =>
            fail(portsLacking(names as string[], 'no description')),
          )
        : pass();
    },
  },
];
