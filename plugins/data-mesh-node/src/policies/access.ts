import type { DataMeshPolicy, AccessGrantFacts } from '../engine/types';
import { failIfAny, listOf, notApplicable, pass } from './helpers';

/*
 * Policies on who reads a product by agreement: its approved access grants,
 * as the access capability records them.
 */

/** Longest grant of restricted or personal data, from approval to end date. */
export const SENSITIVE_GRANT_MAX_DAYS = 180;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Lifecycles after which a consumer reads nothing any more. */
const ENDED = new Set(['retired']);

const NO_GRANTS = notApplicable('No access grant of its ports');

const sensitive = (grant: AccessGrantFacts) =>
  grant.classification === 'restricted' || grant.containsPii;

/** Epoch milliseconds of the end of a `YYYY-MM-DD` day (UTC). */
const endOf = (day: string) => Date.parse(`${day}T23:59:59.999Z`);

/** Grants shown by consumer and port, up to three, the rest counted. */
function someGrants(grants: AccessGrantFacts[], describe: (g: AccessGrantFacts) => string) {
  const shown = grants.slice(0, 3).map(describe);
  const more = grants.length - shown.length;
  return more > 0 ? `${shown.join('; ')} and ${more} more` : shown.join('; ');
}

/**
 * The built-in access policies.
 *
 * @public
 */
export const accessPolicies: DataMeshPolicy[] = [
  {
    id: 'quanta.access-sensitive-grants-reviewed',
    title: 'Access to restricted or personal data is reviewed at least twice a year',
    attribute: 'secure',
    severity: 'warning',
    rationale: `A grant of restricted or personal data outlives the purpose it was given for unless it is asked for again: at most ${SENSITIVE_GRANT_MAX_DAYS} days from approval to end date makes an owner look at it again.`,
    howToFix: `Revoke the grant on the Access tab and ask the consumer to request access again with an end date within ${SENSITIVE_GRANT_MAX_DAYS} days (the port's sensitivity comes from spec.classification, spec.containsPii and its fields' classification and pii).`,
    check: (_product, { facts }) => {
      const grants = facts.access?.grants;
      if (!grants?.length) return NO_GRANTS;
      const relevant = grants.filter(sensitive);
      if (!relevant.length) {
        return notApplicable('No grant of restricted or personal data');
      }
      const long = relevant.filter(grant => {
        const from = grant.approvedAt ? Date.parse(grant.approvedAt) : NaN;
        if (Number.isNaN(from)) return false;
        return endOf(grant.endDate) - from > SENSITIVE_GRANT_MAX_DAYS * DAY_MS;
      });
      if (!long.length) return pass();
      return failIfAny([
        `${long.length === 1 ? 'A grant' : `${long.length} grants`} of restricted or personal data run${
          long.length === 1 ? 's' : ''
        } more than ${SENSITIVE_GRANT_MAX_DAYS} days: ${someGrants(
          long,
          g => `${g.consumer} on ${g.port} until ${g.endDate}`,
        )}`,
      ]);
    },
  },
  {
    id: 'quanta.access-grant-consumer-active',
    title: 'No access grant outlives its consumer',
    attribute: 'secure',
    severity: 'error',
    rationale:
      'A grant held by a retired product or a component gone from the catalog is access nobody needs and nobody watches.',
    howToFix:
      'Revoke, on the Access tab, the grants of consumers whose spec.lifecycle is retired or that are no longer in the catalog.',
    check: (_product, { facts, mesh }) => {
      const grants = facts.access?.grants;
      if (!grants?.length) return NO_GRANTS;
      const gone: string[] = [];
      const retired: string[] = [];
      for (const grant of grants) {
        const consumer = mesh.get(grant.consumer);
        const label = `${grant.consumer} (${grant.port})`;
        if (!consumer) gone.push(label);
        else if (ENDED.has(String((consumer.entity.spec as any)?.lifecycle))) {
          retired.push(label);
        }
      }
      const problems: string[] = [];
      if (retired.length) {
        problems.push(`Retired consumers still hold grants: ${listOf(retired)}`);
      }
      if (gone.length) {
        problems.push(
          `Consumers no longer in the catalog still hold grants: ${listOf(gone)}`,
        );
      }
      return failIfAny(problems);
    },
  },
];
