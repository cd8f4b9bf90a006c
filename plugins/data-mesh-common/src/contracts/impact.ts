/*
 * Shapes of the contract impact API of the data-mesh backend plugin
 * (`POST /api/data-mesh/contracts/impact`): what a proposed contract changes
 * for the products that read the port.
 */
import type { ContractChange } from './changes';

/**
 * Body of `POST /contracts/impact`.
 *
 * @public
 */
export type ContractImpactRequest = {
  /** The producing product, such as `dataproduct:default/orders`. */
  entityRef: string;
  /** The output port whose contract changes. */
  port: string;
  /** The proposed ODCS contract: parsed, or as YAML (or JSON) text. */
  contract: Record<string, unknown> | string;
};

/**
 * How a consumer is known to read the port: it declares an input port from
 * it, OpenLineage runs were seen reading it, or it holds an approved access
 * grant to it.
 *
 * @public
 */
export type ContractConsumerLink = 'declared' | 'observed' | 'granted';

/**
 * One product (or, through an access grant, a component) that reads the
 * port, and what the proposal breaks for it.
 *
 * @public
 */
export type ContractImpactConsumer = {
  /** Lower-case `dataproduct:namespace/name`, or `component:namespace/name` for a granted component. */
  entityRef: string;
  title?: string;
  /** The owner team, with its title when the catalog knows it. */
  owner?: { ref: string; title?: string };
  via: ContractConsumerLink[];
  /**
   * The port's fields this consumer reads, from OpenLineage column lineage;
   * absent when unknown.
   */
  fields?: string[];
  /**
   * Messages of the breaking changes that touch it: those on fields it reads
   * (or on no field, such as a removed object), or every breaking change
   * when its fields are unknown.
   */
  affectedBy: string[];
};

/**
 * Answer of `POST /contracts/impact`.
 *
 * @public
 */
export type ContractImpactResponse = {
  /** Lower-case `dataproduct:namespace/name`. */
  entityRef: string;
  port: string;
  /** The port's current contract version as last read; null when never read. */
  current: { version: string; digest: string } | null;
  proposed: {
    version?: string;
    apiVersion?: string;
    /** Structural problems of the proposal; empty when it is a usable ODCS v3 contract. */
    problems: string[];
  };
  /** Changes from the current version; empty without one or with problems. */
  changes: ContractChange[];
  requiredVersionBump: 'major' | 'minor' | 'patch' | 'none';
  /** Why the proposed version does not fit the changes, when it does not. */
  versionProblem?: string;
  consumers: ContractImpactConsumer[];
  summary: {
    breaking: number;
    warning: number;
    compatible: number;
    consumers: number;
    affectedConsumers: number;
  };
};

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

/**
 * A contract impact in one sentence, as the portal, the scaffolder action
 * and CI show it: how much changes, the version it needs, and for how many
 * consumers.
 *
 * @public
 */
export function contractImpactSummary(impact: ContractImpactResponse): string {
  const { summary } = impact;
  if (impact.proposed.problems.length) {
    return 'The proposed contract cannot be compared: fix its problems first.';
  }
  if (!impact.current) {
    return "The portal has not read this port's contract yet: there is nothing to compare with.";
  }
  if (!impact.changes.length) {
    return `No change from version ${impact.current.version}.`;
  }
  const counts = [
    summary.breaking && `${summary.breaking} breaking`,
    summary.warning && `${summary.warning} to look at`,
    summary.compatible && `${summary.compatible} compatible`,
  ].filter(Boolean);
  const consumers = summary.consumers
    ? `${plural(summary.consumers, 'consumer')}, ${
        summary.affectedConsumers
      } affected`
    : 'no known consumer';
  const need = impact.changes.length === 1 ? 'needs' : 'need';
  return `${plural(impact.changes.length, 'change')} (${counts.join(
    ', ',
  )}), which ${need} a new ${
    impact.requiredVersionBump
  } version; ${consumers}.`;
}
