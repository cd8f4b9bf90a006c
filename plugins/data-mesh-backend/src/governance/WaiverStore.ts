import type { Knex } from 'knex';
import type { StoredWaiver, Waiver } from '@quanta/plugin-data-mesh-common';
import { waiverEnd } from '@quanta/plugin-data-mesh-node';
import { CHUNK, chunks, toIso, withoutNul } from '../shared/sql';

export type { StoredWaiver };

/** What happened to waivers declared in descriptors since the last run. */
export type WaiverSync = {
  granted: StoredWaiver[];
  changed: StoredWaiver[];
  revoked: StoredWaiver[];
};

/**
 * Waivers: those granted through the API, and a mirror of those declared
 * in descriptors (`spec.waivers`), so that both are listed, expired and
 * audited alike.
 */
export class WaiverStore {
  constructor(private readonly knex: Knex) {}

  async addWaiver(
    input: Omit<Waiver, 'source'>,
    grantedAt: Date,
  ): Promise<StoredWaiver> {
    const waiver = withoutNul(input);
    const [row] = await this.knex('dm_waivers')
      .insert({
        entity_ref: waiver.entityRef,
        policy_id: waiver.policyId,
        reason: waiver.reason,
        expires_at: new Date(waiver.expiresAt),
        granted_by: waiver.grantedBy,
        granted_at: grantedAt,
        source: 'api',
      })
      .returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    return (await this.getWaiver(id))!;
  }

  async getWaiver(id: number): Promise<StoredWaiver | undefined> {
    const row = await this.knex('dm_waivers').where({ id }).first();
    return row ? toWaiver(row) : undefined;
  }

  /** Revokes a waiver granted through the API; descriptor waivers go by pull request. */
  async revokeWaiver(
    id: number,
    revokedBy: string,
    at: Date,
  ): Promise<StoredWaiver | undefined> {
    await this.knex('dm_waivers')
      .where({ id, source: 'api' })
      .whereNull('revoked_at')
      .update({ revoked_by: revokedBy, revoked_at: at });
    return this.getWaiver(id);
  }

  /** Waivers, from the API and from descriptors, neither revoked nor expired at `now`. */
  async listActiveWaivers(
    now: Date,
    options: { entityRef?: string; source?: Waiver['source'] } = {},
  ): Promise<StoredWaiver[]> {
    const query = this.knex('dm_waivers')
      .whereNull('revoked_at')
      .andWhere('expires_at', '>=', now);
    if (options.entityRef) query.andWhere({ entity_ref: options.entityRef });
    if (options.source) query.andWhere({ source: options.source });
    const rows = await query.orderBy('id');
    return rows.map(toWaiver);
  }

  /**
   * Mirrors the waivers declared in descriptors, so that their grant, change
   * and removal can be audited and listed with the others. `scope` limits
   * the sync to some products (a run for one product); otherwise `declared`
   * is every declared waiver of the mesh.
   */
  async syncDeclaredWaivers(
    input: Waiver[],
    now: Date,
    scope?: string[],
  ): Promise<WaiverSync> {
    // Descriptors are anyone's text.
    const declared = withoutNul(input);
    return this.knex.transaction(async tx => {
      let rows: any[] = [];
      if (scope) {
        for (const part of chunks(scope, CHUNK)) {
          rows = rows.concat(
            await tx('dm_waivers')
              .where({ source: 'catalog' })
              .whereNull('revoked_at')
              .whereIn('entity_ref', part),
          );
        }
      } else {
        rows = await tx('dm_waivers')
          .where({ source: 'catalog' })
          .whereNull('revoked_at');
      }
      const key = (ref: string, policy: string) => `${ref}\u0000${policy}`;
      const stored = new Map(
        rows.map(r => [key(r.entity_ref, r.policy_id), r]),
      );
      const wanted = new Map(
        declared.map(w => [key(w.entityRef, w.policyId), w]),
      );
      const grantedIds: number[] = [];
      const changedIds: number[] = [];
      const revokedIds: number[] = [];
      for (const [k, waiver] of wanted) {
        const expiresAt = new Date(waiverEnd(waiver.expiresAt));
        if (!Number.isFinite(expiresAt.getTime())) continue;
        const row = stored.get(k);
        if (!row) {
          // A waiver that ran out before it was first seen never applied here.
          if (expiresAt < now) continue;
          const [inserted] = await tx('dm_waivers')
            .insert({
              entity_ref: waiver.entityRef,
              policy_id: waiver.policyId,
              reason: waiver.reason ?? '',
              expires_at: expiresAt,
              granted_by: waiver.grantedBy,
              granted_at: now,
              source: 'catalog',
            })
            .returning('id');
          grantedIds.push(
            Number(typeof inserted === 'object' ? inserted.id : inserted),
          );
        } else if (
          row.reason !== (waiver.reason ?? '') ||
          new Date(row.expires_at).getTime() !== expiresAt.getTime() ||
          row.granted_by !== waiver.grantedBy
        ) {
          // A later expiry re-opens a waiver whose expiry was recorded.
          await tx('dm_waivers')
            .where({ id: row.id })
            .update({
              reason: waiver.reason ?? '',
              expires_at: expiresAt,
              granted_by: waiver.grantedBy,
              expired_at: expiresAt > now ? null : row.expired_at,
            });
          changedIds.push(Number(row.id));
        }
      }
      for (const [k, row] of stored) {
        if (!wanted.has(k)) {
          await tx('dm_waivers')
            .where({ id: row.id })
            .update({ revoked_at: now, revoked_by: 'catalog' });
          revokedIds.push(Number(row.id));
        }
      }
      const read = async (ids: number[]) => {
        let out: any[] = [];
        for (const part of chunks(ids, CHUNK)) {
          out = out.concat(await tx('dm_waivers').whereIn('id', part));
        }
        return out.map(toWaiver);
      };
      return {
        granted: await read(grantedIds),
        changed: await read(changedIds),
        revoked: await read(revokedIds),
      };
    });
  }

  /** Marks waivers that ran out since the last look, and returns them once. */
  async expireWaivers(now: Date): Promise<StoredWaiver[]> {
    return this.knex.transaction(async tx => {
      const rows = await tx('dm_waivers')
        .whereNull('revoked_at')
        .whereNull('expired_at')
        .andWhere('expires_at', '<', now);
      for (const part of chunks(
        rows.map(r => r.id),
        CHUNK,
      )) {
        await tx('dm_waivers').whereIn('id', part).update({ expired_at: now });
      }
      return rows.map(r => toWaiver({ ...r, expired_at: now }));
    });
  }
}

function toWaiver(row: any): StoredWaiver {
  return {
    id: Number(row.id),
    entityRef: row.entity_ref,
    policyId: row.policy_id,
    reason: row.reason,
    expiresAt: toIso(row.expires_at)!,
    grantedBy: row.granted_by,
    grantedAt: toIso(row.granted_at)!,
    source: row.source === 'catalog' ? 'catalog' : 'api',
    ...(row.expired_at ? { expiredAt: toIso(row.expired_at) } : {}),
    ...(row.revoked_at
      ? { revokedAt: toIso(row.revoked_at), revokedBy: row.revoked_by }
      : {}),
  };
}
