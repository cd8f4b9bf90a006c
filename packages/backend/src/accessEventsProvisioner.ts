/*
 * An access provisioner for portals whose data platform is driven by
 * something listening on Backstage's events service (a workflow engine, an
 * infrastructure pipeline, a small service granting warehouse roles): each
 * approved grant and each revocation is published as an event, and the
 * listener does the rest. An example, tested beside it: the demo keeps the
 * built-in provisioner that records grants only, since nothing in it would
 * listen. A portal copies it and registers the module:
 *
 *   backend.add(accessEventsProvisionerModule);
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  type EventsService,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import {
  type AccessGrant,
  type AccessProvisioner,
  dataMeshAccessExtensionPoint,
} from '@quanta/plugin-data-mesh-node';

/** The topic the grants and revocations are published on. */
export const ACCESS_PROVISIONING_TOPIC = 'data-mesh.access.provisioning';

/** The payload of an event on {@link ACCESS_PROVISIONING_TOPIC}. */
export type AccessProvisioningEvent = {
  action: 'grant' | 'revoke';
  grant: AccessGrant;
};

/**
 * Publishes each grant and revocation. A publish that fails throws, so the
 * data mesh plugin records the failure and tries again; listeners recognise
 * a repeated event by `grant.requestId` and `action`.
 */
export function eventsAccessProvisioner(
  events: EventsService,
): AccessProvisioner {
  const publish =
    (action: AccessProvisioningEvent['action']) =>
    async (grant: AccessGrant) => {
      const eventPayload: AccessProvisioningEvent = { action, grant };
      await events.publish({ topic: ACCESS_PROVISIONING_TOPIC, eventPayload });
    };
  return { name: 'events', grant: publish('grant'), revoke: publish('revoke') };
}

/** Sets {@link eventsAccessProvisioner} as the portal's access provisioner. */
export const accessEventsProvisionerModule = createBackendModule({
  pluginId: 'data-mesh',
  moduleId: 'access-events-provisioner',
  register(env) {
    env.registerInit({
      deps: { access: dataMeshAccessExtensionPoint, events: eventsServiceRef },
      async init({ access, events }) {
        access.setProvisioner(eventsAccessProvisioner(events));
      },
    });
  },
});
