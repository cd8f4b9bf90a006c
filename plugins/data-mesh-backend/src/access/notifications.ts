import type { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import type {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import type { AccessRequest } from '@quanta/plugin-data-mesh-common';

/** The notification topic of access requests and their decisions. */
export const ACCESS_TOPIC = 'data-mesh-access';

/** The approvers' inbox in the portal. */
export const ACCESS_INBOX_PATH = '/data-mesh/access';

/** The Access tab of a product's page, relative to the portal. */
export function productAccessPage(entityRef: string): string {
  const { namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(
    namespace,
  )}/dataproduct/${encodeURIComponent(name)}/access`;
}

function sensitivityText(request: AccessRequest): string {
  const { classification, containsPii } = request.sensitivity;
  return [
    classification ?? 'unclassified',
    ...(containsPii ? ['holds personal data'] : []),
  ].join(', ');
}

/**
 * Tells approvers of new pending requests and requesters of what became of
 * theirs. Sending is best effort: a failure is logged and never undoes or
 * fails the change it reports.
 */
export class AccessNotifier {
  constructor(
    private readonly options: {
      notifications: NotificationService;
      logger: LoggerService;
    },
  ) {}

  /** A new pending request, to the product's owner group and product owner. */
  async requested(request: AccessRequest, approvers: string[]): Promise<void> {
    if (!approvers.length) {
      this.options.logger.warn(
        `Access request ${request.id} for ${request.entityRef} port ${request.port}: the product names no owner to tell`,
      );
      return;
    }
    await this.send(request, {
      recipients: {
        type: 'entity',
        entityRef: approvers,
        // Someone asking for their own team's product knows already.
        excludeEntityRef: request.requester,
      },
      payload: {
        title: `Access request: ${request.consumer} asks for ${request.entityRef} port ${request.port}`,
        description: [
          `${request.requester} asks for access until ${request.endDate} for ${request.consumer}.`,
          `Purpose: ${request.purpose}`,
          `Port sensitivity: ${sensitivityText(request)}.`,
        ].join('\n'),
        link: ACCESS_INBOX_PATH,
        severity:
          request.sensitivity.containsPii ||
          request.sensitivity.classification === 'restricted'
            ? 'high'
            : 'normal',
        topic: ACCESS_TOPIC,
        scope: `access-request:${request.id}`,
      },
    });
  }

  /** What became of a request (approved, denied, revoked, expired), to its requester. */
  async decided(request: AccessRequest): Promise<void> {
    const what = `${request.entityRef} port ${request.port} for ${request.consumer}`;
    const why = request.status === 'expired' ? undefined : request.reason;
    const titles: Partial<Record<AccessRequest['status'], string>> = {
      approved: `Access approved: ${what}`,
      denied: `Access denied: ${what}`,
      revoked: `Access revoked: ${what}`,
      expired: `Access expired: ${what}`,
    };
    const title = titles[request.status];
    if (!title) return;
    const description = {
      approved: `Approved by ${request.decidedBy}, until ${request.endDate}.`,
      denied: `Denied by ${request.decidedBy}.`,
      revoked: `Revoked by ${request.decidedBy} before its end date ${request.endDate}.`,
      expired: `Its end date ${request.endDate} passed; ask again if the data is still needed.`,
    }[request.status as 'approved' | 'denied' | 'revoked' | 'expired'];
    await this.send(request, {
      recipients: { type: 'entity', entityRef: request.requester },
      payload: {
        title,
        description: [description, ...(why ? [`Reason: ${why}`] : [])].join(
          '\n',
        ),
        link: productAccessPage(request.entityRef),
        severity: request.status === 'approved' ? 'normal' : 'high',
        topic: ACCESS_TOPIC,
        scope: `access-decision:${request.id}:${request.status}`,
      },
    });
  }

  private async send(
    request: AccessRequest,
    notification: NotificationSendOptions,
  ): Promise<void> {
    try {
      await this.options.notifications.send(notification);
    } catch (error) {
      this.options.logger.warn(
        `Could not notify ${[notification.recipients]
          .flatMap(r => (r.type === 'entity' ? r.entityRef : []))
          .join(', ')} of access request ${request.id} (${request.status}): ${
          (error as Error).message
        }`,
      );
    }
  }
}
