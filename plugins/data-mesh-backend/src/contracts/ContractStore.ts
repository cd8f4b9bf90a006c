import type { Knex } from 'knex';
import type { ContractReadResult } from './ContractReader';
import { OfficialOdcsSchemas } from './OfficialOdcsSchemas';
import { PORTS, type PortRow, VERSIONS, type VersionRow } from './rows';

/** The last read of one port's contract. */
export type ContractPortState = {
  location: string;
  status: 'ok' | 'unreadable' | 'invalid';
  reason?: string;
  message?: string;
  digest?: string;
  readAt: Date;
};

/** One version of a port's contract, as first and last seen. */
export type StoredContractVersion = {
  digest: string;
  contractId: string;
  contractVersion: string;
  apiVersion: string;
  document: unknown;
  firstSeenAt: Date;
  lastSeenAt: Date;
};

/** Why a read is not plainly ok: the unreadable reason, or an official-schema check not made. */
function readReason(result: ContractReadResult): string | null {
  if (result.status === 'unreadable') return result.reason;
  if (result.status === 'ok' && result.schemaCheck?.status === 'unchecked') {
    return 'schema-unchecked';
  }
  if (
    result.status === 'ok' &&
    result.schemaCheck?.status === 'passed' &&
    result.schemaCheck.warning
  ) {
    return 'schema-warning';
  }
  return null;
}

function readMessage(result: ContractReadResult): string | null {
  if (result.status !== 'ok') return result.message;
  if (!result.schemaCheck) return null;
  return OfficialOdcsSchemas.describe(result.schemaCheck) ?? null;
}

/**
 * Contracts per (product, output port): the current read state, and every
 * version seen, keyed by the sha256 of the file. Reading the same file again
 * only moves its `last_seen_at`.
 */
export class ContractStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Records a read of the contract `declared` at (entityRef, port).
   * `declared` is the location as the descriptor writes it, so that a
   * changed declaration is told apart from the same one read again.
   */
  async record(
    entityRef: string,
    port: string,
    declared: string,
    result: ContractReadResult,
    at: Date,
  ): Promise<void> {
    const readAt = at.getTime();
    await this.knex.transaction(async tx => {
      if (result.status === 'ok') {
        const { document, digest } = result;
        await tx(VERSIONS)
          .insert({
            entity_ref: entityRef,
            port,
            digest,
            contract_id: document.id,
            contract_version: document.version,
            api_version: document.apiVersion,
            document: JSON.stringify(document),
            first_seen_at: readAt,
            last_seen_at: readAt,
          } satisfies VersionRow)
          .onConflict(['entity_ref', 'port', 'digest'])
          .merge({ last_seen_at: readAt });
      }
      const row: PortRow = {
        entity_ref: entityRef,
        port,
        location: declared,
        status: result.status,
        reason: readReason(result),
        message: readMessage(result),
        digest: result.status === 'ok' ? result.digest : null,
        read_at: readAt,
      };
      await tx(PORTS)
        .insert(row)
        .onConflict(['entity_ref', 'port'])
        .merge([
          'location',
          'status',
          'reason',
          'message',
          'digest',
          'read_at',
        ]);
    });
  }

  /**
   * Records a read that found the file the last read found: only when it
   * was read moves, for the port and its version.
   */
  async touch(
    entityRef: string,
    port: string,
    digest: string,
    at: Date,
  ): Promise<void> {
    const readAt = at.getTime();
    await this.knex.transaction(async tx => {
      await tx(PORTS)
        .where({ entity_ref: entityRef, port, digest })
        .update({ read_at: readAt });
      await tx(VERSIONS)
        .where({ entity_ref: entityRef, port, digest })
        .update({ last_seen_at: readAt });
    });
  }

  /** The last read of each port of a product, by port name. */
  async getStates(entityRef: string): Promise<Map<string, ContractPortState>> {
    const rows = await this.knex<PortRow>(PORTS)
      .where('entity_ref', entityRef)
      .select();
    return new Map(
      rows.map(row => [
        row.port,
        {
          location: row.location,
          status: row.status,
          ...(row.reason ? { reason: row.reason } : {}),
          ...(row.message ? { message: row.message } : {}),
          ...(row.digest ? { digest: row.digest } : {}),
          readAt: new Date(Number(row.read_at)),
        },
      ]),
    );
  }

  /** Every version of a port's contract, newest first (by first seen, then by insertion). */
  async getVersions(
    entityRef: string,
    port: string,
  ): Promise<StoredContractVersion[]> {
    const rows = await this.knex<VersionRow>(VERSIONS)
      .where({ entity_ref: entityRef, port })
      .orderBy([
        { column: 'first_seen_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .select();
    return rows.map(row => ({
      digest: row.digest,
      contractId: row.contract_id,
      contractVersion: row.contract_version,
      apiVersion: row.api_version,
      document: JSON.parse(row.document),
      firstSeenAt: new Date(Number(row.first_seen_at)),
      lastSeenAt: new Date(Number(row.last_seen_at)),
    }));
  }

  /**
   * Marks the version (entityRef, port, digest) as notified at `at`, unless
   * already marked: true when this call marked it, so that one backend
   * instance alone tells consumers of a new version.
   */
  async claimNotification(
    entityRef: string,
    port: string,
    digest: string,
    at: Date,
  ): Promise<boolean> {
    const updated = await this.knex(VERSIONS)
      .where({ entity_ref: entityRef, port, digest })
      .whereNull('notified_at')
      .update({ notified_at: at.getTime() });
    return updated > 0;
  }

  /** Unmarks a version whose notification could not be sent, to try again. */
  async releaseNotification(
    entityRef: string,
    port: string,
    digest: string,
  ): Promise<void> {
    await this.knex(VERSIONS)
      .where({ entity_ref: entityRef, port, digest })
      .update({ notified_at: null });
  }
}
