import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  DataProductEntity,
  InputPort,
  OutputPort,
} from '@quanta/plugin-data-mesh-common';
import { yamlDocument } from './files';
import { objectName } from './odcs';

/** A file of the transformation project, relative to its folder. */
export type ModelFile = { path: string; content: string };

const JINJA = /\{\{|\{%|\{#|\}\}|%\}|#\}/;
const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLAIN_TYPE = /^[A-Za-z0-9_ (),.<>]+$/;

/**
 * dbt renders every model through Jinja, so a value that holds Jinja syntax is
 * written as a Jinja string expression, which prints it as it is. Not a raw
 * block: a value holding `{% endraw %}` would close it and run what follows.
 */
export function literal(text: string): string {
  if (!JINJA.test(text)) return text;
  return `{{ '${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}' }}`;
}

/** A column name as SQL reads it: quoted unless it is a plain identifier. */
export function quoteIdentifier(name: string): string {
  if (PLAIN_IDENTIFIER.test(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** A column name in a dbt model, where Jinja syntax must stay literal. */
function sqlIdentifier(name: string): string {
  return literal(quoteIdentifier(name));
}

/** Text for one line of an SQL comment: no line breaks, no Jinja. */
function commentText(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  return JINJA.test(flat) ? flat.replace(/[{}%#]/g, '') : flat;
}

/** The dbt source table an input port reads: `orders-db` is `orders_db`. */
export function sourceTable(port: InputPort): string {
  return objectName(port.name);
}

function columns(port: OutputPort): string[] {
  const fields = port.schema ?? [];
  if (!fields.length) return ['*,'];
  return fields.map(field => {
    const type = PLAIN_TYPE.test(field.type) ? `  -- ${field.type}` : '';
    return `${sqlIdentifier(field.name)},${type}`;
  });
}

function header(product: DataProductEntity, port: OutputPort): string[] {
  return [
    `-- Output port ${port.name} of ${stringifyEntityRef(product)}: a ${
      port.type
    } served as ${commentText(port.format)} at ${commentText(port.address)}.`,
    `-- Its fields are promised in contracts/${port.name}.odcs.yaml; keep the`,
    '-- two in step. _loaded_at feeds the freshness checks in quality/checks.yaml.',
  ];
}

function selectList(port: OutputPort): string {
  const list = columns(port);
  // The last real column takes no comma before _loaded_at's line.
  return [...list, 'current_timestamp as _loaded_at']
    .map(line => `    ${line}`)
    .join('\n');
}

function sourceAlignedModels(product: DataProductEntity): ModelFile[] {
  const inputs = product.spec.inputPorts ?? [];
  const files: ModelFile[] = inputs.map(port => ({
    path: `models/staging/stg_${sourceTable(port)}.sql`,
    content: [
      `-- Staging model of input port ${port.name}${
        port.source ? ` (${commentText(port.source)})` : ''
      }: rename and`,
      '-- cast here, so output ports read clean columns.',
      'select *',
      `from {{ source('inputs', '${sourceTable(port)}') }}`,
      '',
    ].join('\n'),
  }));
  const first = inputs[0];
  for (const port of product.spec.outputPorts ?? []) {
    files.push({
      path: `models/${objectName(port.name)}.sql`,
      content: [
        ...header(product, port),
        'select',
        selectList(port),
        first
          ? `from {{ ref('stg_${sourceTable(first)}') }}`
          : "-- from {{ ref('stg_<input port>') }}: add an input port",
        ...inputs
          .slice(1)
          .map(
            p =>
              `-- join {{ ref('stg_${sourceTable(
                p,
              )}') }} on the keys the sources share`,
          ),
        '',
      ].join('\n'),
    });
  }
  return files;
}

function derivedModels(
  product: DataProductEntity,
  purpose: string,
): ModelFile[] {
  const inputs = product.spec.inputPorts ?? [];
  const files: ModelFile[] = [];
  for (const port of product.spec.outputPorts ?? []) {
    const ctes = inputs.map(
      input =>
        `${sourceTable(
          input,
        )} as (\n    select * from {{ source('inputs', '${sourceTable(
          input,
        )}') }}\n)`,
    );
    files.push({
      path: `models/${objectName(port.name)}.sql`,
      content: [
        ...header(product, port),
        `-- ${purpose}`,
        ...(ctes.length ? [`with\n${ctes.join(',\n')}`] : []),
        'select',
        selectList(port),
        inputs.length
          ? `from ${sourceTable(inputs[0])}`
          : "-- from {{ source('inputs', '<input port>') }}: add an input port",
        ...inputs
          .slice(1)
          .map(
            input =>
              `-- join ${sourceTable(
                input,
              )} on the keys the upstream ports share`,
          ),
        ...(product.spec.type === 'aggregate'
          ? ['-- group by the grain of the aggregate']
          : []),
        '',
      ].join('\n'),
    });
  }
  return files;
}

function sourcesFile(product: DataProductEntity): ModelFile {
  const tables = (product.spec.inputPorts ?? []).map(port => {
    const meta: Record<string, string> = { inputPort: port.name };
    if (port.dataProduct) meta.dataProduct = port.dataProduct;
    if (port.outputPort) meta.outputPort = port.outputPort;
    if (port.source) meta.source = port.source;
    for (const key of Object.keys(meta)) {
      if (JINJA.test(meta[key])) delete meta[key];
    }
    return { name: sourceTable(port), meta };
  });
  const document = yamlDocument({
    version: 2,
    sources: [
      {
        name: 'inputs',
        description:
          product.spec.type === 'source-aligned'
            ? 'The operational sources this product reads (spec.inputPorts).'
            : 'The upstream output ports this product reads (spec.inputPorts).',
        schema: 'inputs',
        tables,
      },
    ],
  });
  document.commentBefore =
    ' One table per input port of catalog-info.yaml. Point the inputs schema of\n each target in profiles.yml at where those ports are read.';
  return { path: 'models/sources.yml', content: document.toString() };
}

/**
 * The dbt models that match the product type: a source-aligned product stages
 * each operational source and shapes it into its output ports; aggregate and
 * consumer-aligned products combine the upstream ports they read. Every model
 * selects the fields its port's contract promises.
 */
export function buildModels(product: DataProductEntity): ModelFile[] {
  const models =
    product.spec.type === 'source-aligned'
      ? sourceAlignedModels(product)
      : derivedModels(
          product,
          product.spec.type === 'aggregate'
            ? 'Aggregate: combines the upstream ports below into one reusable view of the domain.'
            : 'Consumer-aligned: shapes the upstream ports below for one use case and its consumers.',
        );
  return [sourcesFile(product), ...models];
}
