import { randomUUID } from 'node:crypto';
import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ACCESS_REQUEST_TRANSITIONS,
  type AccessAdoptionResponse,
  type AccessPortsResponse,
  type AccessRequest,
  type AccessRequestStatus,
  type AccessRequestsResponse,
  type DataProductEntity,
  dataMeshAccessApprovePermission,
  entityRefKey,
  isDataProductEntity,
} from '@quanta/plugin-data-mesh-common';
import { type HumanDuration, durationToMilliseconds } from '@backstage/types';
import { z } from 'zod';
import { describeDuration } from '../shared/config';
import { parseInput } from '../shared/http';
import { chunks } from '../shared/sql';
import type { AccessRequestFilter, AccessStore } from './AccessStore';
import { type ProductApprovers, productOwners, refKeyOf } from './approvers';
import type { AccessNotifier } from './notifications';
import type { GrantProvisioning } from './provisioning';
import { outputPortsOf, portSensitivity } from './sensitivity';

/** The actor of changes nobody made by hand: auto-approval and expiry. */
export const SYSTEM_ACTOR = 'system';

const DAY_MS = 86_400_000;

/** The value at `share` of sorted `values`, interpolated between neighbours. */
function percentile(values: number[], share: number): number {
  const at = (values.length - 1) * share;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return values[low] + (values[high] - values[low]) * (at - low);
}

/** How long a decision's answer waits for the provisioner before answering with its status `pending`. */
const PROVISIONING_WAIT_MS = 5_000;

/** Requests the expiry takes up per pass. */
const EXPIRY_BATCH = 100;

export type AccessSettings = {
  /** Approve requests for public ports without personal data at once. */
  autoApprovePublic: boolean;
  /** Let an approver approve a request they made themselves (default: no). */
  allowSelfApproval?: boolean;
  /** How far ahead an end date may lie. */
  maxDuration: HumanDuration;
};

/** What a decision does: the route's verb and the status it moves to. */
export type AccessDecision = 'approve' | 'deny' | 'revoke';

const TARGET: Record<AccessDecision, AccessRequestStatus> = {
  approve: 'approved',
  deny: 'denied',
  revoke: 'revoked',
};

/** What the caller is, and the HTTP request to audit with when there is one. */
type Caller<T extends BackstageCredentials = BackstageCredentials> = {
  credentials: T;
  request?: AuditorServiceCreateEventOptions['request'];
};

type UserCaller = Caller<BackstageCredentials<BackstageUserPrincipal>>;

/** A parsed `POST /access/requests` body (entity references as store keys). */
export type AccessRequestBody = {
  entityRef: string;
  port: string;
  consumer: string;
  purpose: string;
  endDate: string;
};

/** A `YYYY-MM-DD` day (UTC) of a time. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function isCalendarDay(day: string): boolean {
  const time = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(time) && dayOf(new Date(time)) === day;
}

/** What may happen next to a request in `status`, for 409 messages. */
function nextMoves(status: AccessRequestStatus): string {
  const next = ACCESS_REQUEST_TRANSITIONS[status];
  const a = /^[aeiou]/.test(status) ? `an ${status}` : `a ${status}`;
  return next.length
    ? `${a} request can only become ${next.join(' or ')}`
    : `${a} request is final; ask for access again instead`;
}

function conflict(
  request: AccessRequest,
  decision: AccessDecision | 'expire',
): ConflictError {
  return new ConflictError(
    `Access request ${request.id} is ${request.status}: it cannot be ${
      decision === 'expire' ? 'expired' : TARGET[decision]
    } (${nextMoves(request.status)})`,
  );
}

const decisionBody = z
  .object({
    reason: z
      .string({ error: 'expected the reason as text' })
      .trim()
      .max(2000, 'expected at most 2000 characters')
      .optional(),
  })
  .strict();

/** The reason of a decision: required to deny or revoke, so that the requester learns why. */
function decisionReason(
  decision: AccessDecision,
  body: unknown,
): string | undefined {
  const { reason } = parseInput(decisionBody, body ?? {}, 'body');
  if (!reason && decision !== 'approve') {
    throw new InputError(
      `body.reason: expected why the request is ${TARGET[decision]}, such as { "reason": "the port holds payment data the consumer does not need" }; the requester is told`,
    );
  }
  return reason || undefined;
}

/**
 * Access requests: asked for by users for a product or component of their
 * team, decided by the product's approvers, taking effect through the
 * provisioner, and expiring on their end date. Every state change follows
 * ACCESS_REQUEST_TRANSITIONS, is stored with its event, audited, and told
 * to those concerned.
 */
export class AccessService {
  private readonly now: () => Date;

  constructor(
    private readonly options: {
      store: AccessStore;
      catalog: CatalogService;
      /** The plugin's own credentials: to tell a product gone from the catalog from one hidden from the caller. */
      auth: AuthService;
      userInfo: UserInfoService;
      approvers: ProductApprovers;
      notifier: AccessNotifier;
      provisioning: GrantProvisioning;
      auditor: AuditorService;
      logger: LoggerService;
      settings: AccessSettings;
      now?: () => Date;
      /** How long an answer waits for the provisioner. */
      provisioningWaitMs?: number;
      /**
       * Called after a request became, or stopped being, a grant: lineage
       * draws grants as edges and reads them again.
       */
      onGrantsChanged?: () => void;
    },
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** The product as the caller sees it in the catalog; 404 when it is none. */
  private async product(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<DataProductEntity> {
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity || !isDataProductEntity(entity)) {
      throw new NotFoundError(`No data product ${entityRef} in the catalog`);
    }
    return entity;
  }

  /** The products among `refs` the caller sees, by key; `fields` trims them. */
  private async visibleProducts(
    refs: string[],
    credentials: BackstageCredentials,
    fields?: string[],
  ): Promise<Map<string, DataProductEntity>> {
    const visible = new Map<string, DataProductEntity>();
    for (const part of chunks(refs)) {
      const { items } = await this.options.catalog.getEntitiesByRefs(
        { entityRefs: part, ...(fields ? { fields } : {}) },
        { credentials },
      );
      items.forEach((entity, i) => {
        if (entity && isDataProductEntity(entity)) visible.set(part[i], entity);
      });
    }
    return visible;
  }

  /** `filter`, narrowed to the products the caller sees. */
  private async narrowToVisible(
    filter: AccessRequestFilter,
    credentials: BackstageCredentials,
  ): Promise<AccessRequestFilter> {
    const refs = await this.options.store.products(filter);
    const visible = await this.visibleProducts(refs, credentials, [
      'kind',
      'metadata.namespace',
      'metadata.name',
    ]);
    const hidden = refs.filter(ref => !visible.has(ref));
    if (!hidden.length) return filter;
    // The shorter list goes to the database.
    return hidden.length <= visible.size
      ? { ...filter, excludeEntityRefs: hidden }
      : { ...filter, entityRefs: [...visible.keys()] };
  }

  /** Each output port of a product with its sensitivity. */
  async ports(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<AccessPortsResponse> {
    const product = await this.product(entityRef, credentials);
    return {
      entityRef,
      ports: outputPortsOf(product).map(port => ({
        port: port.name,
        address: port.address,
        ...portSensitivity(
          product,
          port,
          this.options.settings.autoApprovePublic,
        ),
      })),
    };
  }

  /** The consumer entity, owned by the requester or one of their teams; 400 otherwise. */
  private async checkConsumer(
    consumerRef: string,
    productRef: string,
    caller: UserCaller,
  ): Promise<void> {
    const field = 'body.consumer';
    if (consumerRef === productRef) {
      throw new InputError(
        `${field}: found ${consumerRef}, the product asked for itself; name the product or component that will read the data`,
      );
    }
    const kind = consumerRef.slice(0, consumerRef.indexOf(':'));
    if (kind !== 'dataproduct' && kind !== 'component') {
      throw new InputError(
        `${field}: found ${consumerRef}, expected a DataProduct or Component the data is for, such as dataproduct:default/customer-360 or component:default/churn-model`,
      );
    }
    const consumer = await this.options.catalog.getEntityByRef(consumerRef, {
      credentials: caller.credentials,
    });
    if (!consumer) {
      throw new InputError(
        `${field}: no ${consumerRef} in the catalog; name an existing DataProduct or Component one of your teams owns`,
      );
    }
    const owners = ownersOf(consumer);
    const { ownershipEntityRefs } = await this.options.userInfo.getUserInfo(
      caller.credentials,
    );
    const mine = new Set(ownershipEntityRefs.map(ref => entityRefKey(ref)));
    if (!owners.some(owner => mine.has(owner))) {
      throw new InputError(
        `${field}: ${consumerRef} is owned by ${
          owners.join(', ') || 'nobody'
        }, which is neither you nor one of your teams (${[...mine].join(
          ', ',
        )}); request for a product or component one of your teams owns`,
      );
    }
  }

  /** The end date is a day after today and within dataMesh.access.maxDuration; 400 otherwise. */
  private checkEndDate(endDate: string): void {
    const field = 'body.endDate';
    if (!isCalendarDay(endDate)) {
      throw new InputError(
        `${field}: found ${endDate}, which is not a day of the calendar; expected the last day of access as YYYY-MM-DD`,
      );
    }
    const now = this.now();
    const today = dayOf(now);
    if (endDate <= today) {
      throw new InputError(
        `${field}: found ${endDate}, expected a day after today (${today}, UTC)`,
      );
    }
    const { maxDuration } = this.options.settings;
    const latest = dayOf(
      new Date(now.getTime() + durationToMilliseconds(maxDuration)),
    );
    if (endDate > latest) {
      throw new InputError(
        `${field}: found ${endDate}, expected ${latest} or earlier: access lasts at most ${describeDuration(
          maxDuration,
        )} (dataMesh.access.maxDuration); ask again when it ends`,
      );
    }
  }

  /**
   * `POST /access/requests`: a pending request, or an approved one when the
   * port is public without personal data and the portal approves those.
   */
  async create(
    body: AccessRequestBody,
    caller: UserCaller,
  ): Promise<AccessRequest> {
    const { store, auditor, notifier, provisioning, settings } = this.options;
    const event = await auditor.createEvent({
      eventId: 'access-request',
      severityLevel: 'medium',
      request: caller.request,
      meta: { product: body.entityRef, port: body.port },
    });
    let request: AccessRequest;
    let approvers: string[];
    try {
      const product = await this.product(body.entityRef, caller.credentials);
      const ports = outputPortsOf(product);
      const port = ports.find(p => p.name === body.port);
      if (!port) {
        throw new InputError(
          ports.length
            ? `body.port: found "${
                body.port
              }", expected one of the output ports of ${body.entityRef}: ${ports
                .map(p => p.name)
                .join(', ')}`
            : `body.port: ${body.entityRef} declares no output ports; ask its owners to publish one`,
        );
      }
      await this.checkConsumer(body.consumer, body.entityRef, caller);
      this.checkEndDate(body.endDate);
      const sensitivity = portSensitivity(
        product,
        port,
        settings.autoApprovePublic,
      );
      const outcome = await store.create(
        {
          id: randomUUID(),
          entityRef: body.entityRef,
          port: port.name,
          address: port.address,
          portType: port.type,
          portFormat: port.format,
          requester: entityRefKey(caller.credentials.principal.userEntityRef),
          consumer: body.consumer,
          purpose: body.purpose,
          endDate: body.endDate,
          sensitivity,
        },
        {
          at: this.now(),
          autoApproval: sensitivity.autoApproved
            ? {
                reason:
                  'public port without personal data, approved automatically (dataMesh.access.autoApprovePublic)',
                provisioning: {
                  action: 'grant',
                  provisioner: provisioning.name,
                  leaseUntil: provisioning.leaseUntil(),
                },
              }
            : undefined,
        },
      );
      if (!('created' in outcome)) {
        const existing = outcome.existing;
        throw new ConflictError(
          `An access request for ${existing.entityRef} port ${existing.port} for ${existing.consumer} is already ${existing.status}: ${existing.id} (GET /access/requests/${existing.id})`,
        );
      }
      request = outcome.created;
      if (request.status === 'approved') this.options.onGrantsChanged?.();
      approvers = productOwners(product);
      await event.success({
        meta: {
          id: request.id,
          product: request.entityRef,
          port: request.port,
          consumer: request.consumer,
          to: request.status,
        },
      });
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
    if (request.status === 'approved') {
      request = await this.provisionNow(request);
      await notifier.decided(request);
    } else {
      await notifier.requested(request, approvers);
    }
    return request;
  }

  /** `GET /access/requests`: requests of products the caller sees, newest first. */
  async list(
    filter: AccessRequestFilter,
    page: { limit: number; offset: number },
    credentials: BackstageCredentials,
  ): Promise<AccessRequestsResponse> {
    return this.options.store.list(
      await this.narrowToVisible(filter, credentials),
      page,
    );
  }

  /** `GET /access/requests/:id`, with its history; 404 unless the caller sees its product. */
  async get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<AccessRequest> {
    return (await this.visibleRequest(id, credentials)).request;
  }

  /** A request and its product, when the caller sees the product; 404 otherwise. */
  private async visibleRequest(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<{ request: AccessRequest; product: DataProductEntity }> {
    const request = await this.options.store.get(id, { history: true });
    if (!request) throw new NotFoundError(`No access request ${id}`);
    try {
      return {
        request,
        product: await this.product(request.entityRef, credentials),
      };
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new NotFoundError(`No access request ${id}`);
      }
      throw error;
    }
  }

  /**
   * A request to decide on, and its product; the product is undefined when
   * it is gone from the catalog (not merely hidden from the caller, which
   * answers 404 as for any request the caller cannot see).
   */
  private async decidableRequest(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<{ request: AccessRequest; product?: DataProductEntity }> {
    try {
      return await this.visibleRequest(id, credentials);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      const request = await this.options.store.get(id, { history: true });
      if (!request) throw error;
      const entity = await this.options.catalog.getEntityByRef(
        request.entityRef,
        { credentials: await this.options.auth.getOwnServiceCredentials() },
      );
      if (entity) throw error;
      return { request };
    }
  }

  /** `GET /access/inbox`: pending requests the caller may decide on. */
  async inbox(
    page: { limit: number; offset: number },
    credentials: BackstageCredentials,
  ): Promise<AccessRequestsResponse> {
    const { approvers, store } = this.options;
    const decision = await approvers.decision(credentials);
    const filter: AccessRequestFilter = { statuses: ['pending'] };
    const refs = await store.products(filter);
    // Conditions may read any part of a product, so they get it whole.
    const products = await this.visibleProducts(refs, credentials);
    const mine = refs.filter(ref => {
      const product = products.get(ref);
      return product !== undefined && approvers.allows(decision, product);
    });
    return store.list({ ...filter, entityRefs: mine }, page);
  }

  /** `GET /access/grants?entityRef=`: the product's approved requests that have not ended. */
  async grants(
    entityRef: string,
    page: { limit: number; offset: number },
    credentials: BackstageCredentials,
  ): Promise<AccessRequestsResponse> {
    await this.product(entityRef, credentials);
    return this.options.store.list(
      {
        entityRef,
        statuses: ['approved'],
        endingOnOrAfter: dayOf(this.now()),
      },
      page,
    );
  }

  /**
   * `GET /access/adoption`: grants and consumers per product and domain now,
   * pending requests, and how long approvals took within the last `days`
   * days, over the products the caller sees.
   */
  async adoption(
    days: number,
    credentials: BackstageCredentials,
  ): Promise<AccessAdoptionResponse> {
    const { store } = this.options;
    const now = this.now();
    const [grants, pending, approvals] = await Promise.all([
      store.activeGrants(dayOf(now)),
      store.pendingByProduct(),
      store.approvals(new Date(now.getTime() - days * DAY_MS)),
    ]);
    const refs = [
      ...new Set([
        ...grants.map(g => g.entityRef),
        ...pending.keys(),
        ...approvals.map(a => a.entityRef),
      ]),
    ];
    const visible = await this.visibleProducts(refs, credentials, [
      'kind',
      'metadata.namespace',
      'metadata.name',
      'metadata.title',
      'spec.domain',
    ]);
    const products = new Map<
      string,
      { grants: number; consumers: Set<string> }
    >();
    for (const grant of grants) {
      if (!visible.has(grant.entityRef)) continue;
      const entry = products.get(grant.entityRef) ?? {
        grants: 0,
        consumers: new Set<string>(),
      };
      entry.grants++;
      entry.consumers.add(grant.consumer);
      products.set(grant.entityRef, entry);
    }
    const domainOf = (ref: string) => {
      const domain = visible.get(ref)?.spec?.domain;
      return typeof domain === 'string'
        ? refKeyOf(
            domain,
            'domain',
            visible.get(ref)?.metadata.namespace ?? 'default',
          ) ?? 'none'
        : 'none';
    };
    const domains = new Map<
      string,
      { products: number; grants: number; consumers: Set<string> }
    >();
    for (const [ref, entry] of products) {
      const key = domainOf(ref);
      const domain = domains.get(key) ?? {
        products: 0,
        grants: 0,
        consumers: new Set<string>(),
      };
      domain.products++;
      domain.grants += entry.grants;
      entry.consumers.forEach(c => domain.consumers.add(c));
      domains.set(key, domain);
    }
    const byPeople = approvals.filter(
      a => visible.has(a.entityRef) && a.actor !== SYSTEM_ACTOR,
    );
    const hours = byPeople
      .map(a => (a.approvedAt - a.requestedAt) / 3_600_000)
      .sort((a, b) => a - b);
    const rounded = (value: number) => Math.round(value * 10) / 10;
    const allConsumers = new Set(
      grants.filter(g => visible.has(g.entityRef)).map(g => g.consumer),
    );
    return {
      days,
      grants: [...products.values()].reduce((sum, p) => sum + p.grants, 0),
      consumers: allConsumers.size,
      pending: [...pending]
        .filter(([ref]) => visible.has(ref))
        .reduce((sum, [, count]) => sum + count, 0),
      products: [...products]
        .map(([ref, entry]) => ({
          entityRef: ref,
          ...(visible.get(ref)?.metadata.title
            ? { title: visible.get(ref)!.metadata.title }
            : {}),
          ...(domainOf(ref) !== 'none' ? { domain: domainOf(ref) } : {}),
          grants: entry.grants,
          consumers: entry.consumers.size,
        }))
        .sort(
          (a, b) =>
            b.consumers - a.consumers ||
            b.grants - a.grants ||
            a.entityRef.localeCompare(b.entityRef),
        )
        .slice(0, 20),
      domains: [...domains]
        .map(([domain, entry]) => ({
          domain,
          products: entry.products,
          grants: entry.grants,
          consumers: entry.consumers.size,
        }))
        .sort(
          (a, b) =>
            b.consumers - a.consumers || a.domain.localeCompare(b.domain),
        ),
      timeToApprove: {
        approved: hours.length,
        autoApproved: approvals.filter(
          a => visible.has(a.entityRef) && a.actor === SYSTEM_ACTOR,
        ).length,
        ...(hours.length
          ? {
              medianHours: rounded(percentile(hours, 0.5)),
              p90Hours: rounded(percentile(hours, 0.9)),
            }
          : {}),
      },
    };
  }

  /** Every approved request that has not ended, for lineage, impact and policies. */
  async activeGrants(): Promise<AccessRequest[]> {
    return this.options.store.activeGrants(dayOf(this.now()));
  }

  /**
   * Approves, denies or revokes a request, as a user the approve permission
   * allows for its product (ALLOW, or a CONDITIONAL decision whose conditions
   * hold for it). Of two deciders at once, one wins; the other gets 409
   * naming the status the first one left.
   */
  async decide(
    id: string,
    decision: AccessDecision,
    body: unknown,
    caller: UserCaller,
  ): Promise<AccessRequest> {
    const { store, approvers, auditor, notifier } = this.options;
    const to = TARGET[decision];
    const event = await auditor.createEvent({
      eventId: 'access-decision',
      severityLevel: 'medium',
      request: caller.request,
      meta: { id, decision },
    });
    let request: AccessRequest;
    let from: AccessRequestStatus;
    try {
      const policy = await approvers.decision(caller.credentials);
      if (policy.result === AuthorizeResult.DENY) {
        throw new NotAllowedError(
          `Not allowed: ${dataMeshAccessApprovePermission.name}`,
        );
      }
      const reason = decisionReason(decision, body);
      const { request: current, product } = await this.decidableRequest(
        id,
        caller.credentials,
      );
      from = current.status;
      if (!product) {
        // Gone from the catalog: its owners can no longer be read from it,
        // so only an approver of every product may end the request now.
        if (policy.result !== AuthorizeResult.ALLOW) {
          throw new NotAllowedError(
            `Not allowed: ${current.entityRef} is no longer in the catalog, so its owners cannot be known from it; an approver of every product (${dataMeshAccessApprovePermission.name} allowed without conditions) may deny or revoke access request ${id}, or it ends on its end date ${current.endDate}`,
          );
        }
        if (to === 'approved') {
          throw new ConflictError(
            `Access request ${id} cannot be approved: ${current.entityRef} is no longer in the catalog`,
          );
        }
      } else if (!approvers.allows(policy, product)) {
        throw new NotAllowedError(
          `Not allowed: ${dataMeshAccessApprovePermission.name} on ${
            current.entityRef
          }; its owners decide on access to it (${
            productOwners(product).join(', ') || 'it names none'
          })`,
        );
      }
      const callerRef = entityRefKey(
        caller.credentials.principal.userEntityRef,
      );
      if (
        to === 'approved' &&
        !this.options.settings.allowSelfApproval &&
        current.requester === callerRef
      ) {
        throw new NotAllowedError(
          `Not allowed: you asked for access request ${id} yourself, so another approver of ${current.entityRef} decides on it (dataMesh.access.allowSelfApproval is off)`,
        );
      }
      if (!ACCESS_REQUEST_TRANSITIONS[from].includes(to)) {
        throw conflict(current, decision);
      }
      if (to === 'approved' && current.endDate < dayOf(this.now())) {
        throw new ConflictError(
          `Access request ${id} ended on ${current.endDate}: it can no longer be approved and expires on the next expiry pass`,
        );
      }
      const { provisioning } = this.options;
      const result = await store.transition({
        id,
        from,
        to,
        actor: callerRef,
        reason,
        at: this.now(),
        provisioning:
          to === 'approved' || (to === 'revoked' && from === 'approved')
            ? {
                action: to === 'approved' ? 'grant' : 'revoke',
                provisioner: provisioning.name,
                leaseUntil: provisioning.leaseUntil(),
              }
            : undefined,
      });
      if (!result.changed) {
        throw result.current
          ? conflict(result.current, decision)
          : new NotFoundError(`No access request ${id}`);
      }
      request = result.changed;
      if (to === 'approved' || from === 'approved') {
        this.options.onGrantsChanged?.();
      }
      await event.success({
        meta: {
          id,
          decision,
          product: request.entityRef,
          port: request.port,
          consumer: request.consumer,
          from,
          to,
        },
      });
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
    if (request.provisioning.status === 'pending') {
      request = await this.provisionNow(request);
    }
    await notifier.decided(request);
    return request;
  }

  /**
   * The provisioner's first attempt after a committed change, waited for a
   * few seconds at most: a slow provisioner leaves the answer with status
   * `pending`, and the attempt records its outcome when it ends.
   */
  private async provisionNow(request: AccessRequest): Promise<AccessRequest> {
    const { provisioning, logger, store } = this.options;
    const attempt = provisioning.attempt(request).catch(error => {
      // The lease runs out and the retry schedule makes the attempt again.
      logger.error(
        `Provisioning of access request ${request.id} was not recorded: ${
          (error as Error).message
        }`,
      );
      return undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>(resolve => {
      timer = setTimeout(
        () => resolve(undefined),
        this.options.provisioningWaitMs ?? PROVISIONING_WAIT_MS,
      );
      timer.unref?.();
    });
    await Promise.race([attempt, timeout]);
    clearTimeout(timer);
    return (await store.get(request.id, { history: true })) ?? request;
  }

  /**
   * Expires every open request whose end date has passed (the end of that
   * UTC day): approved ones are revoked through the provisioner, and each
   * requester is told. Returns how many expired.
   */
  async expire(): Promise<number> {
    const { store } = this.options;
    const today = dayOf(this.now());
    const seen = new Set<string>();
    let expired = 0;
    for (;;) {
      const batch = (await store.expiring(today, EXPIRY_BATCH)).filter(
        request => !seen.has(request.id),
      );
      if (!batch.length) return expired;
      for (const request of batch) {
        seen.add(request.id);
        try {
          if (await this.expireOne(request)) expired++;
        } catch (error) {
          this.options.logger.error(
            `Could not expire access request ${request.id}: ${
              (error as Error).message
            }`,
          );
        }
      }
    }
  }

  private async expireOne(request: AccessRequest): Promise<boolean> {
    const { store, auditor, notifier, provisioning } = this.options;
    const from = request.status;
    const meta = {
      id: request.id,
      product: request.entityRef,
      port: request.port,
      consumer: request.consumer,
      endDate: request.endDate,
      from,
      to: 'expired',
    };
    const event = await auditor.createEvent({
      eventId: 'access-expiry',
      severityLevel: 'medium',
      meta,
    });
    let expired: AccessRequest;
    try {
      const result = await store.transition({
        id: request.id,
        from,
        to: 'expired',
        actor: SYSTEM_ACTOR,
        reason: `its end date ${request.endDate} passed`,
        at: this.now(),
        provisioning:
          from === 'approved'
            ? {
                action: 'revoke',
                provisioner: provisioning.name,
                leaseUntil: provisioning.leaseUntil(),
              }
            : undefined,
      });
      if (!result.changed) {
        // Decided meanwhile: nothing is left to expire.
        throw result.current
          ? conflict(result.current, 'expire')
          : new NotFoundError(`No access request ${request.id}`);
      }
      expired = result.changed;
      if (from === 'approved') this.options.onGrantsChanged?.();
      await event.success({ meta });
    } catch (error) {
      await event.fail({ error: error as Error, meta });
      if (error instanceof ConflictError) return false;
      throw error;
    }
    if (expired.provisioning.status === 'pending') {
      await provisioning.attempt(expired).catch(error => {
        this.options.logger.error(
          `Provisioning of access request ${expired.id} was not recorded: ${
            (error as Error).message
          }`,
        );
      });
      expired = (await store.get(expired.id)) ?? expired;
    }
    await notifier.decided(expired);
    return true;
  }
}

/** Who owns an entity: its `spec.owner`, a product's product owner, and its ownedBy relations. */
function ownersOf(entity: Entity): string[] {
  const namespace = entity.metadata.namespace ?? 'default';
  const spec = (entity.spec ?? {}) as {
    owner?: unknown;
    productOwner?: unknown;
  };
  const owners = [
    refKeyOf(spec.owner, 'group', namespace),
    isDataProductEntity(entity)
      ? refKeyOf(spec.productOwner, 'user', namespace)
      : undefined,
    ...(entity.relations ?? [])
      .filter(relation => relation.type === 'ownedBy')
      .map(relation => entityRefKey(relation.targetRef)),
  ];
  return [...new Set(owners.filter((o): o is string => Boolean(o)))];
}
