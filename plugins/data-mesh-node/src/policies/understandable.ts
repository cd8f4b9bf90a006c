import type { DataMeshPolicy } from '../engine/types';
import {
  failIfAny,
  fail,
  listOf,
  notApplicable,
  outputPorts,
  pass,
  portsLacking,
  schemaFields,
  text,
} from './helpers';

export const TECHDOCS_ANNOTATION = 'backstage.io/techdocs-ref';

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
      const links = Array.isArray(product.metadata.links)
        ? product.metadata.links.filter(link => text(link?.url))
        : [];
      if (
        links.length ||
        text(product.metadata.annotations?.[TECHDOCS_ANNOTATION])
      ) {
        return pass();
      }
      return fail(
        `No documentation: metadata.links is empty and there is no ${TECHDOCS_ANNOTATION} annotation`,
      );
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
      if (!ports.length)
        return notApplicable('The product has no output ports');
      const lacking = ports
        .filter(({ port }) => !port.contract && schemaFields(port).length === 0)
        .map(p => p.name);
      return lacking.length
        ? fail(portsLacking(lacking, 'neither an inline schema nor a contract'))
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
      const withSchema = outputPorts(product).filter(
        ({ port }) => schemaFields(port).length > 0,
      );
      if (!withSchema.length) {
        return notApplicable('No output port has an inline schema');
      }
      return failIfAny(
        withSchema.flatMap(({ port, name }) => {
          const undocumented = schemaFields(port)
            .filter(field => !text(field.description))
            .map(field => field.name);
          if (!undocumented.length) return [];
          return [
            `Output port ${name}: ${
              undocumented.length === 1 ? 'field' : 'fields'
            } ${listOf(undocumented)} ${
              undocumented.length === 1 ? 'has' : 'have'
            } no description`,
          ];
        }),
      );
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
      if (!ports.length)
        return notApplicable('The product has no output ports');
      const lacking = ports
        .filter(({ port }) => !text(port.description))
        .map(p => p.name);
      return lacking.length
        ? fail(portsLacking(lacking, 'no description'))
        : pass();
    },
  },
];
