import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { AccessRequest } from '@quanta/plugin-data-mesh-common';
import type {
  AccessGrant,
  AccessProvisioner,
} from '@quanta/plugin-data-mesh-node';
import type { AccessStore } from './AccessStore';

/** Wait before the first retry; each further failure doubles it. */
export const FIRST_RETRY_MS = 60_000;
/** The longest wait between two attempts. */
export const MAX_RETRY_MS = 3_600_000;
/**
 * How long an instance owns an attempt it started: should it stop before
 * recording the outcome, the retry schedule makes the attempt again after it.
 */
export const ATTEMPT_LEASE_MS = 5 * 60_000;
/** Requests the retry schedule takes up per pass. */
const RETRY_BATCH = 100;

/** The wait after the `failures`-th failure in a row: 1, 2, 4, ... minutes, at most an hour. */
export function retryDelayMs(failures: number): number {
  return Math.min(
    FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1),
    MAX_RETRY_MS,
  );
}

/** What the provisioner is handed for a request. */
export function grantOf(request: AccessRequest): AccessGrant {
  return {
    requestId: request.id,
    entityRef: request.entityRef,
    port: request.port,
    address: request.address ?? '',
    ...(request.portType ? { type: request.portType } : {}),
    ...(request.portFormat ? { format: request.portFormat } : {}),
    consumer: request.consumer,
    requester: request.requester,
    purpose: request.purpose,
    endDate: request.endDate,
    sensitivity: request.sensitivity,
    status: request.status,
  };
}

/**
 * Makes decisions take effect through the portal's provisioner: the grant of
 * an approved request, the revocation of an approved request revoked or
 * expired. The decision is committed before any call, and a failing or slow
 * provisioner never changes it: a failure is recorded on the request
 * (attempts, last error, next attempt) and retried by the schedule with
 * exponential backoff, for as long as it takes.
 */
export class GrantProvisioning {
  constructor(
    private readonly options: {
      store: AccessStore;
      provisioner: AccessProvisioner;
      auditor: AuditorService;
      logger: LoggerService;
      now: () => Date;
    },
  ) {}

  get name(): string {
    return this.options.provisioner.name;
  }

  /** The lease of an attempt starting now. */
  leaseUntil(): Date {
    return new Date(this.options.now().getTime() + ATTEMPT_LEASE_MS);
  }

  /**
   * Makes the attempt `request` is due for (its action and attempt count as
   * stored) and records the outcome; returns the request as recorded, or
   * undefined when it had moved on meanwhile.
   */
  async attempt(request: AccessRequest): Promise<AccessRequest | undefined> {
    const { store, provisioner, auditor, logger, now } = this.options;
    const action = request.provisioning.action;
    if (!action) return undefined;
    const attempts = request.provisioning.attempts;
    const meta = {
      id: request.id,
      product: request.entityRef,
      port: request.port,
      consumer: request.consumer,
      action,
      attempt: attempts + 1,
      provisioner: provisioner.name,
    };
    const event = await auditor.createEvent({
      eventId: 'access-provisioning',
      severityLevel: 'medium',
      meta,
    });
    try {
      if (action === 'grant') await provisioner.grant(grantOf(request));
      else await provisioner.revoke(grantOf(request));
    } catch (error) {
      const message = (error as Error)?.message || String(error);
      const next = new Date(now().getTime() + retryDelayMs(attempts + 1));
      await event.fail({
        error: error as Error,
        meta: { ...meta, nextAttemptAt: next.toISOString() },
      });
      logger.warn(
        `Access provisioner ${
          provisioner.name
        } could not ${action} access request ${request.id} (${
          request.entityRef
        } port ${request.port} for ${request.consumer}), attempt ${
          attempts + 1
        }: ${message}; next attempt at ${next.toISOString()}`,
      );
      return store.recordProvisioning(request.id, action, attempts, {
        ok: false,
        at: now(),
        error: message,
        nextAttemptAt: next,
      });
    }
    await event.success({ meta });
    return store.recordProvisioning(request.id, action, attempts, {
      ok: true,
      at: now(),
    });
  }

  /** Makes every due attempt (failed ones, and first ones whose instance stopped); returns how many. */
  async retryDue(): Promise<number> {
    const { store, now } = this.options;
    let made = 0;
    const seen = new Set<string>();
    for (;;) {
      const due = (await store.dueProvisioning(now(), RETRY_BATCH)).filter(
        request => !seen.has(request.id),
      );
      if (!due.length) return made;
      for (const request of due) {
        seen.add(request.id);
        const action = request.provisioning.action;
        if (
          !action ||
          !(await store.claimProvisioning(
            request.id,
            action,
            now(),
            this.leaseUntil(),
          ))
        ) {
          continue;
        }
        await this.attempt(request);
        made++;
      }
    }
  }
}
