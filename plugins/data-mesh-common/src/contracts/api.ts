/*
 * Shapes of the contracts REST API of the data-mesh backend plugin
 * (`GET /api/data-mesh/contracts/:namespace/:name`).
 */
import type { ContractChange } from './changes';

/**
 * One version of an output port's contract, with what changed since the one
 * before.
 *
 * @public
 */
export type ContractVersionView = {
  /** sha256 of the document as read. */
  digest: string;
  /** The contract's `id`. */
  contractId: string;
  /** The contract's `version`. */
  version: string;
  /** The contract's `apiVersion`, such as `v3.0.2`. */
  apiVersion: string;
  /** ISO 8601 time of the first read that found this version. */
  firstSeenAt: string;
  /** ISO 8601 time of the last read that found this version. */
  lastSeenAt: string;
  /** Whether this is the version the last read found. */
  current: boolean;
  /** Changes from the previous version; empty for the first one. */
  changes: ContractChange[];
  /** The semantic version bump the changes need. */
  requiredVersionBump: 'major' | 'minor' | 'patch' | 'none';
  /**
   * The contract document (ODCS, parsed from YAML). Only the version a
   * consumer reads carries it: the current one, or the newest when the last
   * read found none (the port's contract is unreadable or invalid now).
   */
  document?: Record<string, unknown>;
};

/**
 * What the API says of one output port's contract.
 *
 * @public
 */
export type ContractPortView = {
  /** The output port's name. */
  port: string;
  /** The location as declared; absent when the port declares no contract. */
  location?: string;
  /** `contract.version` from the descriptor. */
  declaredVersion?: string;
  /**
   * `ok`: read and valid; `unreadable`: could not be read (`reason`,
   * `message`); `invalid`: read but not a valid contract (`message`);
   * `pending`: declared but not read yet; `undeclared`: the port declares no
   * contract.
   */
  status: 'ok' | 'unreadable' | 'invalid' | 'pending' | 'undeclared';
  /** Why a contract could not be read, as a short code. */
  reason?: string;
  /** What went wrong, in words. */
  message?: string;
  /** ISO 8601 time of the last read. */
  readAt?: string;
  /** The versions seen, newest first. */
  versions: ContractVersionView[];
};

/**
 * Answer of `GET /contracts/:namespace/:name`: each output port of a data
 * product with its contract.
 *
 * @public
 */
export type ContractsResponse = {
  /** Lower-case `dataproduct:namespace/name`. */
  entityRef: string;
  /** The product's output ports, in the descriptor's order. */
  ports: ContractPortView[];
};
