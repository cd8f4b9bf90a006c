import type { DataMeshPolicy } from '../engine/types';
import { fail, notApplicable, pass } from './helpers';

const NOT_OBSERVED_MESSAGE =
  'No OpenLineage events show the runs of this product yet';

function listOf(refs: string[]): string {
  const shown = refs.slice(0, 5).join(', ');
  return refs.length > 5 ? `${shown} and ${refs.length - 5} more` : shown;
}

/** Policies over observed lineage; not applicable until events arrive. */
export const lineagePolicies: DataMeshPolicy[] = [
  {
    id: 'quanta.lineage-matches-declared',
    title: 'Observed lineage matches the declared',
    attribute: 'trustworthy',
    severity: 'warning',
    rationale:
      'Consumers and impact analysis rely on input ports; a pipeline reading what they do not declare, or no longer reading what they do, makes both wrong.',
    howToFix:
      'Add an input port in spec.inputPorts for each upstream the pipeline reads, and remove those it stopped reading.',
    check: (_product, { facts }) => {
      const lineage = facts.lineage;
      if (!lineage) return notApplicable(NOT_OBSERVED_MESSAGE);
      const undeclared = lineage.undeclaredUpstream ?? [];
      const stale = lineage.staleUpstream ?? [];
      if (!undeclared.length && !stale.length) return pass();
      const problems: string[] = [];
      if (undeclared.length) {
        problems.push(
          `runs read ${listOf(undeclared)}, which no input port declares`,
        );
      }
      if (stale.length) {
        problems.push(
          `declared input${stale.length === 1 ? '' : 's'} ${listOf(
            stale,
          )} not read in the last ${lineage.staleAfterDays ?? 30} days`,
        );
      }
      const message = problems.join('; ');
      return fail(message.charAt(0).toUpperCase() + message.slice(1));
    },
  },
];
