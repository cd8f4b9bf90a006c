import {
  type ContractChangeLevel,
  type ContractImpactConsumer,
  type ContractImpactResponse,
  contractImpactSummary,
} from '@quanta/plugin-data-mesh-common';

const LEVELS: Array<{ level: ContractChangeLevel; title: string }> = [
  { level: 'breaking', title: 'Breaking' },
  { level: 'warning', title: 'Needs a look' },
  { level: 'compatible', title: 'Compatible' },
];

/**
 * Text from a contract or the catalog as Markdown that shows it as typed:
 * no HTML, no emphasis or links, and no line break or `|` that would end a
 * table cell, since the report lands in pull request descriptions.
 */
export function markdownText(value: string): string {
  return value
    .replace(/[\\`*_[\]<|#~]/g, char => `\\${char}`)
    .replace(/\s*[\r\n]+\s*/g, ' ');
}

/** A code span, or escaped text when the value could end one. */
function code(value: string): string {
  return /[`\r\n]/.test(value) ? markdownText(value) : `\`${value}\``;
}

/** The consumers a breaking change reaches first, otherwise in the given order. */
export function affectedFirst<T extends { affectedBy: string[] }>(
  consumers: T[],
): T[] {
  return [...consumers].sort(
    (a, b) => Number(!a.affectedBy.length) - Number(!b.affectedBy.length),
  );
}

/** The answer in one sentence (shared with the portal's impact check). */
export const impactSummary = contractImpactSummary;

function consumerRow(consumer: ContractImpactConsumer): string {
  const name = consumer.title
    ? `${markdownText(consumer.title)} (${code(consumer.entityRef)})`
    : code(consumer.entityRef);
  const owner = consumer.owner
    ? markdownText(consumer.owner.title ?? consumer.owner.ref)
    : 'none';
  let fields = 'unknown';
  if (consumer.fields) {
    fields = consumer.fields.length
      ? consumer.fields.map(markdownText).join(', ')
      : 'none of the port';
  }
  const affected = consumer.affectedBy.length
    ? `**${consumer.affectedBy.map(markdownText).join('; ')}**`
    : 'not affected';
  return `| ${name} | ${owner} | ${consumer.via.join(
    ', ',
  )} | ${fields} | ${affected} |`;
}

/**
 * The impact as Markdown, for a pull request's description or the
 * scaffolder's output: the summary, the problems, the changes by level and
 * a table of the consumers, those a breaking change reaches first.
 */
export function contractImpactReport(impact: ContractImpactResponse): string {
  const lines: string[] = [
    `### Contract change of ${code(impact.port)} in ${code(impact.entityRef)}`,
    '',
    `**${impactSummary(impact)}**`,
    '',
  ];
  const versions = [
    impact.current && `current version ${impact.current.version}`,
    `proposed version ${
      impact.proposed.version !== undefined
        ? markdownText(impact.proposed.version)
        : 'not given'
    }`,
  ].filter(Boolean);
  lines.push(
    `${versions.join(', ')}${
      impact.changes.length
        ? `; the changes need a new ${impact.requiredVersionBump} version`
        : ''
    }.`.replace(/^./, c => c.toLocaleUpperCase('en-US')),
    '',
  );
  const problems = [
    ...impact.proposed.problems,
    ...(impact.versionProblem ? [impact.versionProblem] : []),
  ];
  if (problems.length) {
    lines.push('#### Problems', '');
    problems.forEach(problem => lines.push(`- ${markdownText(problem)}`));
    lines.push('');
  }
  for (const { level, title } of LEVELS) {
    const changes = impact.changes.filter(c => c.level === level);
    if (!changes.length) continue;
    lines.push(`#### ${title}`, '');
    for (const change of changes) {
      lines.push(`- ${markdownText(change.message)} (${code(change.rule)})`);
    }
    lines.push('');
  }
  if (impact.current) {
    lines.push('#### Consumers', '');
    if (!impact.consumers.length) {
      lines.push(
        'No product is known to read this port: none declares it as an input, and no pipeline was seen reading it.',
        '',
      );
    } else {
      lines.push(
        '| Consumer | Owner | Known from | Fields read | Affected by |',
        '| --- | --- | --- | --- | --- |',
      );
      affectedFirst(impact.consumers).forEach(consumer =>
        lines.push(consumerRow(consumer)),
      );
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
