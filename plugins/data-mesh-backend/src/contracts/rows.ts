import type { ContractPortState } from './ContractStore';

/*
 * The contracts' tables as the store writes them and the facts reader reads
 * them: one place for their rows.
 */

/** Each output port's contract location and the outcome of its last read. */
export const PORTS = 'dm_contract_ports';
/** Every contract version seen, by digest, with its document. */
export const VERSIONS = 'dm_contract_versions';

export type PortRow = {
  entity_ref: string;
  port: string;
  location: string;
  status: ContractPortState['status'];
  reason: string | null;
  message: string | null;
  digest: string | null;
  /** Milliseconds (SQLite) or a timestamp string (PostgreSQL). */
  read_at: number | string;
};

export type VersionRow = {
  /** Given by the database. */
  id?: number;
  entity_ref: string;
  port: string;
  digest: string;
  contract_id: string;
  contract_version: string;
  api_version: string;
  /** The ODCS document, as JSON. */
  document: string;
  first_seen_at: number | string;
  last_seen_at: number | string;
};

/** A version without its document, as the facts need it. */
export type VersionMeta = Omit<
  VersionRow,
  'id' | 'document' | 'last_seen_at'
> & {
  id: number;
};
