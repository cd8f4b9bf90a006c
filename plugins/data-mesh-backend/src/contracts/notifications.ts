import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  compareContracts,
  entityRefKey,
} from '@quanta/plugin-data-mesh-common';
import type { ContractStore } from './ContractStore';
import { type ContractImpact, affectedBy } from './impact';

/** The notification topic of breaking contract versions. */
export const BREAKING_CONTRACT_TOPIC = 'data-contract-breaking-change';

/** Breaking changes listed in a notification; the product page has them all. */
const LISTED = 10;

/** The product's page in the catalog, relative to the portal. */
export function productPage(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}`;
}

/**
 * Tells the owners of affected consumer products when a new version of a
 * port's contract lands with breaking changes. Each version is handled once:
 * the store marks it before sending, so that other backend instances and
 * later refreshes leave it alone, and unmarks it when sending fails, so that
 * the next refresh tries again.
 */
export class BreakingChangeNotifier {
  private readonly now: () => Date;

  constructor(
    private readonly options: {
      store: ContractStore;
      impact: ContractImpact;
      notifications: NotificationService;
      auditor: AuditorService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Called after a read of (entityRef, port) found the version `digest`.
   * Returns the owners told, empty when there was nothing to tell.
   */
  async versionRead(
    entityRef: string,
    port: string,
    digest: string,
  ): Promise<string[]> {
    const ref = entityRefKey(entityRef);
    const { store } = this.options;
    if (!(await store.claimNotification(ref, port, digest, this.now()))) {
      return [];
    }
    try {
      const versions = await store.getVersions(ref, port);
      const at = versions.findIndex(v => v.digest === digest);
      const version = versions[at];
      const previous = versions[at + 1];
      // The first version seen breaks nobody: there was nothing before it.
      if (!version || !previous) return [];
      const breaking = compareContracts(
        previous.document,
        version.document,
      ).filter(c => c.level === 'breaking');
      if (!breaking.length) return [];
      const consumers = (await this.options.impact.consumers(ref, port))
        .map(consumer => ({
          ...consumer,
          affectedBy: affectedBy(breaking, consumer.fields),
        }))
        .filter(consumer => consumer.affectedBy.length);
      const owners = [
        ...new Set(consumers.flatMap(c => (c.owner ? [c.owner] : []))),
      ].sort();
      if (!owners.length) return [];
      await this.send(ref, port, version.contractVersion, digest, {
        breaking: breaking.map(c => c.message),
        consumers: consumers.map(c => c.entityRef),
        owners,
      });
      return owners;
    } catch (error) {
      await store.releaseNotification(ref, port, digest);
      throw error;
    }
  }

  private async send(
    ref: string,
    port: string,
    version: string,
    digest: string,
    what: { breaking: string[]; consumers: string[]; owners: string[] },
  ) {
    const event = await this.options.auditor.createEvent({
      eventId: 'contract-breaking-change-notify',
      severityLevel: 'medium',
      meta: {
        entityRef: ref,
        port,
        version,
        digest,
        breakingChanges: what.breaking.length,
        consumers: what.consumers,
        recipients: what.owners,
      },
    });
    const listed = what.breaking.slice(0, LISTED).map(m => `- ${m}`);
    const more = what.breaking.length - listed.length;
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: what.owners },
        payload: {
          title: `Breaking contract change: ${ref} port ${port} version ${version}`,
          description: [
            `Your products ${what.consumers.join(
              ', ',
            )} read ${port} of ${ref}, whose contract version ${version} has breaking changes:`,
            ...listed,
            ...(more > 0 ? [`- and ${more} more`] : []),
          ].join('\n'),
          link: productPage(ref),
          severity: 'high',
          topic: BREAKING_CONTRACT_TOPIC,
          // The same version told again replaces the notification, not adds one.
          scope: `contract:${ref}:${port}:${digest}`,
        },
      });
      await event.success();
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
    this.options.logger.info(
      `Told ${what.owners.join(
        ', ',
      )} of the breaking contract version ${version} of ${ref} port ${port}`,
    );
  }
}
