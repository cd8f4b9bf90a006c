import type {
  AccessPortSensitivity,
  AccessProvisioning,
  AccessRequest,
  AccessRequestEvent,
  AccessRequestStatus,
} from '@quanta/plugin-data-mesh-common';
import type { Knex } from 'knex';
import { withoutNul } from '../shared/sql';

const REQUESTS = 'dm_access_requests';
const EVENTS = 'dm_access_events';

/** Statuses of an open request: at most one per port and consumer. */
export const OPEN_STATUSES: AccessRequestStatus[] = ['pending', 'approved'];

type Millis = number | string;

type RequestRow = {
  id: string;
  entity_ref: string;
  port: string;
  address: string | null;
  port_type: string | null;
  port_format: string | null;
  requester: string;
  consumer: string;
  purpose: string;
  end_date: string;
  status: AccessRequestStatus;
  sensitivity: string;
  created_at: Millis;
  updated_at: Millis;
  decided_by: string | null;
  decided_at: Millis | null;
  reason: string | null;
  prov_status: AccessProvisioning['status'];
  prov_action: 'grant' | 'revoke' | null;
  prov_name: string | null;
  attempts: number | string;
  last_error: string | null;
  next_attempt_at: Millis | null;
  done_at: Millis | null;
};

type EventRow = {
  from_status: AccessRequestStatus | null;
  to_status: AccessRequestStatus;
  at: Millis;
  actor: string;
  reason: string | null;
};

/** What a new request holds; the store adds its status, times and provisioning. */
export type NewAccessRequest = Pick<
  AccessRequest,
  | 'id'
  | 'entityRef'
  | 'port'
  | 'address'
  | 'portType'
  | 'portFormat'
  | 'requester'
  | 'consumer'
  | 'purpose'
  | 'endDate'
  | 'sensitivity'
>;

/** The provisioner's next action, set with the status change that calls for it. */
export type ProvisioningStart = {
  action: 'grant' | 'revoke';
  provisioner: string;
  /**
   * Until when the instance making the change owns the first attempt; the
   * retry schedule takes the action over after it, should that instance
   * stop before recording an outcome.
   */
  leaseUntil: Date;
};

/** One status change, made only if the request still has status `from`. */
export type AccessTransition = {
  id: string;
  from: AccessRequestStatus;
  to: AccessRequestStatus;
  actor: string;
  reason?: string;
  at: Date;
  provisioning?: ProvisioningStart;
};

/** Which requests a list or count covers; every given condition applies. */
export type AccessRequestFilter = {
  entityRef?: string;
  /** Only these products (none when empty). */
  entityRefs?: string[];
  /** Not these products. */
  excludeEntityRefs?: string[];
  statuses?: AccessRequestStatus[];
  consumer?: string;
  requester?: string;
  /** Only requests whose end date is this day (`YYYY-MM-DD`) or later. */
  endingOnOrAfter?: string;
};

/** How a provisioning attempt ended. */
export type ProvisioningOutcome =
  | { ok: true; at: Date }
  | { ok: false; at: Date; error: string; nextAttemptAt: Date };

const time = (value: Millis): number => Number(value);
const iso = (value: Millis | null): string | undefined =>
  value === null || value === undefined
    ? undefined
    : new Date(time(value)).toISOString();

function toRequest(row: RequestRow): AccessRequest {
  const provisioning: AccessProvisioning = {
    status: row.prov_status,
    ...(row.prov_name ? { provisioner: row.prov_name } : {}),
    ...(row.prov_action ? { action: row.prov_action } : {}),
    attempts: Number(row.attempts),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    ...(row.next_attempt_at !== null &&
    (row.prov_status === 'pending' || row.prov_status === 'failed')
      ? { nextAttemptAt: iso(row.next_attempt_at) }
      : {}),
    ...(row.done_at !== null ? { doneAt: iso(row.done_at) } : {}),
  };
  return {
    id: row.id,
    entityRef: row.entity_ref,
    port: row.port,
    ...(row.address !== null ? { address: row.address } : {}),
    ...(row.port_type !== null ? { portType: row.port_type } : {}),
    ...(row.port_format !== null ? { portFormat: row.port_format } : {}),
    requester: row.requester,
    consumer: row.consumer,
    purpose: row.purpose,
    endDate: row.end_date,
    status: row.status,
    sensitivity: JSON.parse(row.sensitivity) as AccessPortSensitivity,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    ...(row.decided_by !== null ? { decidedBy: row.decided_by } : {}),
    ...(row.decided_at !== null ? { decidedAt: iso(row.decided_at) } : {}),
    ...(row.reason !== null ? { reason: row.reason } : {}),
    provisioning,
  };
}

function toEvent(row: EventRow): AccessRequestEvent {
  return {
    ...(row.from_status ? { from: row.from_status } : {}),
    to: row.to_status,
    at: iso(row.at)!,
    actor: row.actor,
    ...(row.reason !== null ? { reason: row.reason } : {}),
  };
}

/** A violation of a unique index, in either engine's words. */
function isUniqueViolation(error: unknown): boolean {
  const { code, message } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
  };
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    (typeof message === 'string' && message.includes('UNIQUE constraint'))
  );
}

/** Columns that start a provisioning action, its first attempt leased. */
function startColumns(start: ProvisioningStart) {
  return {
    prov_status: 'pending',
    prov_action: start.action,
    prov_name: start.provisioner,
    attempts: 0,
    last_error: null,
    next_attempt_at: start.leaseUntil.getTime(),
    done_at: null,
  };
}

/**
 * Access requests and their history. Every status change is a
 * compare-and-set on the status read before (`UPDATE … WHERE id = ? AND
 * status = ?`), written with its event in one transaction: of two deciders
 * at once, exactly one changes the request.
 */
export class AccessStore {
  constructor(private readonly knex: Knex) {}

  async get(
    id: string,
    options: { history?: boolean } = {},
  ): Promise<AccessRequest | undefined> {
    const row = await this.knex<RequestRow>(REQUESTS).where({ id }).first();
    if (!row) return undefined;
    const request = toRequest(row);
    if (options.history) request.history = await this.history(id);
    return request;
  }

  async history(id: string): Promise<AccessRequestEvent[]> {
    const rows: EventRow[] = await this.knex(EVENTS)
      .where('request_id', id)
      .orderBy('id', 'asc')
      .select('from_status', 'to_status', 'at', 'actor', 'reason');
    return rows.map(toEvent);
  }

  /** The open (pending or approved) request for a port and consumer, if any. */
  async findOpen(
    entityRef: string,
    port: string,
    consumer: string,
  ): Promise<AccessRequest | undefined> {
    const row = await this.knex<RequestRow>(REQUESTS)
      .where({ entity_ref: entityRef, port, consumer })
      .whereIn('status', OPEN_STATUSES)
      .first();
    return row ? toRequest(row) : undefined;
  }

  /**
   * Stores a new request, pending, or approved at once by `system` when
   * `autoApproval` is given (with both changes in its history). Returns the
   * open request for the same port and consumer instead when there is one,
   * even one stored a moment before by another caller.
   */
  async create(
    input: NewAccessRequest,
    options: {
      at: Date;
      autoApproval?: { reason: string; provisioning: ProvisioningStart };
    },
  ): Promise<{ created: AccessRequest } | { existing: AccessRequest }> {
    const request = withoutNul(input);
    const existing = await this.findOpen(
      request.entityRef,
      request.port,
      request.consumer,
    );
    if (existing) return { existing };
    const at = options.at.getTime();
    const auto = options.autoApproval;
    try {
      await this.knex.transaction(async tx => {
        await tx(REQUESTS).insert({
          id: request.id,
          entity_ref: request.entityRef,
          port: request.port,
          address: request.address ?? null,
          port_type: request.portType ?? null,
          port_format: request.portFormat ?? null,
          requester: request.requester,
          consumer: request.consumer,
          purpose: request.purpose,
          end_date: request.endDate,
          status: auto ? 'approved' : 'pending',
          sensitivity: JSON.stringify(request.sensitivity),
          created_at: at,
          updated_at: at,
          decided_by: auto ? 'system' : null,
          decided_at: auto ? at : null,
          reason: auto ? auto.reason : null,
          ...(auto ? startColumns(auto.provisioning) : {}),
        });
        await tx(EVENTS).insert([
          {
            request_id: request.id,
            from_status: null,
            to_status: 'pending',
            at,
            actor: request.requester,
            reason: null,
          },
          ...(auto
            ? [
                {
                  request_id: request.id,
                  from_status: 'pending',
                  to_status: 'approved',
                  at,
                  actor: 'system',
                  reason: auto.reason,
                },
              ]
            : []),
        ]);
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const other = await this.findOpen(
        request.entityRef,
        request.port,
        request.consumer,
      );
      if (other) return { existing: other };
      throw error;
    }
    return { created: (await this.get(request.id, { history: true }))! };
  }

  /**
   * Moves a request from `from` to `to` with its event, and starts the
   * provisioning action that goes with it. Returns the changed request, or
   * the request as it is now when its status was no longer `from`.
   */
  async transition(
    change: AccessTransition,
  ): Promise<
    | { changed: AccessRequest }
    | { changed?: undefined; current?: AccessRequest }
  > {
    const at = change.at.getTime();
    const reason = change.reason ? withoutNul(change.reason) : null;
    const decides = change.to !== 'expired';
    const changed = await this.knex.transaction(async tx => {
      const updated = await tx(REQUESTS)
        .where({ id: change.id, status: change.from })
        .update({
          status: change.to,
          updated_at: at,
          ...(decides
            ? { decided_by: change.actor, decided_at: at, reason }
            : {}),
          ...(change.provisioning ? startColumns(change.provisioning) : {}),
        });
      if (updated !== 1) return false;
      await tx(EVENTS).insert({
        request_id: change.id,
        from_status: change.from,
        to_status: change.to,
        at,
        actor: change.actor,
        reason,
      });
      return true;
    });
    const current = await this.get(change.id, { history: true });
    return changed && current ? { changed: current } : { current };
  }

  private filtered(filter: AccessRequestFilter) {
    const query = this.knex<RequestRow>(REQUESTS);
    if (filter.entityRef) query.where('entity_ref', filter.entityRef);
    if (filter.entityRefs) query.whereIn('entity_ref', filter.entityRefs);
    if (filter.excludeEntityRefs?.length) {
      query.whereNotIn('entity_ref', filter.excludeEntityRefs);
    }
    if (filter.statuses) query.whereIn('status', filter.statuses);
    if (filter.consumer) query.where('consumer', filter.consumer);
    if (filter.requester) query.where('requester', filter.requester);
    if (filter.endingOnOrAfter) {
      query.where('end_date', '>=', filter.endingOnOrAfter);
    }
    return query;
  }

  /** The products the requests of `filter` are for. */
  async products(filter: AccessRequestFilter): Promise<string[]> {
    const rows = await this.filtered(filter)
      .distinct('entity_ref')
      .orderBy('entity_ref');
    return rows.map(row => row.entity_ref);
  }

  /** A page of requests, newest first, and how many `filter` covers in all. */
  async list(
    filter: AccessRequestFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: AccessRequest[]; totalItems: number }> {
    if (filter.entityRefs && filter.entityRefs.length === 0) {
      return { items: [], totalItems: 0 };
    }
    const [{ count }] = await this.filtered(filter).count({ count: '*' });
    const rows = await this.filtered(filter)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(page.limit)
      .offset(page.offset)
      .select('*');
    return { items: rows.map(toRequest), totalItems: Number(count) };
  }

  /** Open requests whose end date is before `today`, oldest end date first. */
  async expiring(today: string, limit: number): Promise<AccessRequest[]> {
    const rows = await this.knex<RequestRow>(REQUESTS)
      .whereIn('status', OPEN_STATUSES)
      .where('end_date', '<', today)
      .orderBy([{ column: 'end_date' }, { column: 'id' }])
      .limit(limit)
      .select('*');
    return rows.map(toRequest);
  }

  /**
   * Approvals since `since`: when each approved request was asked for and
   * approved, and by whom (`system` for approvals made at once).
   */
  async approvals(since: Date): Promise<
    Array<{
      entityRef: string;
      requestedAt: number;
      approvedAt: number;
      actor: string;
    }>
  > {
    const rows: Array<{
      entity_ref: string;
      created_at: number | string;
      at: number | string;
      actor: string;
    }> = await this.knex('dm_access_events as e')
      .join(`${REQUESTS} as r`, 'r.id', 'e.request_id')
      .where('e.to_status', 'approved')
      .where('e.at', '>=', since.getTime())
      .select('r.entity_ref', 'r.created_at', 'e.at', 'e.actor');
    return rows.map(row => ({
      entityRef: row.entity_ref,
      requestedAt: Number(row.created_at),
      approvedAt: Number(row.at),
      actor: row.actor,
    }));
  }

  /** How many requests wait for a decision, per product. */
  async pendingByProduct(): Promise<Map<string, number>> {
    const rows: Array<{ entity_ref: string; count: number | string }> =
      await this.knex(REQUESTS)
        .where('status', 'pending')
        .groupBy('entity_ref')
        .select('entity_ref')
        .count({ count: '*' });
    return new Map(rows.map(row => [row.entity_ref, Number(row.count)]));
  }

  /** Approved requests whose end date is `today` or later. */
  async activeGrants(today: string): Promise<AccessRequest[]> {
    const rows = await this.knex<RequestRow>(REQUESTS)
      .where('status', 'approved')
      .where('end_date', '>=', today)
      .orderBy([{ column: 'entity_ref' }, { column: 'port' }, { column: 'id' }])
      .select('*');
    return rows.map(toRequest);
  }

  /** Requests whose provisioning action is due at `at`, the longest waiting first. */
  async dueProvisioning(at: Date, limit: number): Promise<AccessRequest[]> {
    const rows = await this.knex<RequestRow>(REQUESTS)
      .whereIn('prov_status', ['pending', 'failed'])
      .where('next_attempt_at', '<=', at.getTime())
      .orderBy([{ column: 'next_attempt_at' }, { column: 'id' }])
      .limit(limit)
      .select('*');
    return rows.map(toRequest);
  }

  /**
   * Takes a due attempt of `action` until `leaseUntil`, so that no other
   * instance makes it meanwhile; false when it is not due or taken.
   */
  async claimProvisioning(
    id: string,
    action: 'grant' | 'revoke',
    at: Date,
    leaseUntil: Date,
  ): Promise<boolean> {
    const updated = await this.knex(REQUESTS)
      .where({ id, prov_action: action })
      .whereIn('prov_status', ['pending', 'failed'])
      .where('next_attempt_at', '<=', at.getTime())
      .update({ next_attempt_at: leaseUntil.getTime() });
    return updated === 1;
  }

  /**
   * Records how an attempt of `action` ended, unless the request has moved
   * on meanwhile (another action, or another attempt recorded first).
   * Returns the request as recorded, or undefined when the outcome was
   * superseded.
   */
  async recordProvisioning(
    id: string,
    action: 'grant' | 'revoke',
    attempts: number,
    outcome: ProvisioningOutcome,
  ): Promise<AccessRequest | undefined> {
    const updated = await this.knex(REQUESTS)
      .where({ id, prov_action: action, attempts })
      .whereIn('prov_status', ['pending', 'failed'])
      .update(
        outcome.ok
          ? {
              prov_status: action === 'grant' ? 'granted' : 'revoked',
              attempts: attempts + 1,
              last_error: null,
              next_attempt_at: null,
              done_at: outcome.at.getTime(),
            }
          : {
              prov_status: 'failed',
              attempts: attempts + 1,
              last_error: withoutNul(outcome.error),
              next_attempt_at: outcome.nextAttemptAt.getTime(),
            },
      );
    return updated === 1 ? this.get(id) : undefined;
  }
}
