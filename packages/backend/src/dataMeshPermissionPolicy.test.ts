import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { dataMeshPermissions } from '@quanta/plugin-data-mesh-common';
import { DataMeshPermissionPolicy } from './dataMeshPermissionPolicy';

const policy = new DataMeshPermissionPolicy({
  waiverManagers: ['group:default/data-platform'],
});

const person = (...groups: string[]) => ({
  credentials: mockCredentials.user('user:default/maria.silva'),
  info: {
    userEntityRef: 'user:default/maria.silva',
    ownershipEntityRefs: ['user:default/maria.silva', ...groups],
  },
});

const decide = async (name: string, user = person()) => {
  const permission = dataMeshPermissions.find(p => p.name === name);
  if (!permission) throw new Error(`no data mesh permission ${name}`);
  return (await policy.handle({ permission }, user)).result;
};

describe('DataMeshPermissionPolicy (the README example)', () => {
  it('lets only members of a waiver manager group grant and revoke waivers', async () => {
    expect(await decide('data-mesh.waiver.manage')).toBe(AuthorizeResult.DENY);
    expect(
      await decide(
        'data-mesh.waiver.manage',
        person('group:default/Data-Platform'),
      ),
    ).toBe(AuthorizeResult.ALLOW);
  });

  it("leaves access decisions to the product's owners, as a condition on the product", async () => {
    const permission = dataMeshPermissions.find(
      p => p.name === 'data-mesh.access.approve',
    )!;
    const decision = await policy.handle(
      { permission } as any,
      person('group:default/sales-data'),
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'data-mesh',
      resourceType: 'data-mesh-product',
      conditions: {
        rule: 'IS_PRODUCT_OWNER',
        resourceType: 'data-mesh-product',
        params: {
          claims: ['user:default/maria.silva', 'group:default/sales-data'],
        },
      },
    });
  });

  it('refuses result and event ingestion to people', async () => {
    const platform = person('group:default/data-platform');
    expect(await decide('data-mesh.quality.ingest', platform)).toBe(
      AuthorizeResult.DENY,
    );
    expect(await decide('data-mesh.lineage.ingest', platform)).toBe(
      AuthorizeResult.DENY,
    );
  });

  it('allows reading and evaluating, and leaves other plugins allowed', async () => {
    for (const name of [
      'data-mesh.scorecard.read',
      'data-mesh.lineage.read',
      'data-mesh.quality.read',
      'data-mesh.evaluation.create',
      'data-mesh.access.read',
      'data-mesh.access.request',
    ]) {
      expect(await decide(name)).toBe(AuthorizeResult.ALLOW);
    }
    const other = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
    });
    expect((await policy.handle({ permission: other }, person())).result).toBe(
      AuthorizeResult.ALLOW,
    );
  });

  it('decides every data mesh permission the common package declares', async () => {
    // A new permission added without a decision here would fall through to
    // allow; this lists the ones the example has considered.
    expect(dataMeshPermissions.map(p => p.name).sort()).toEqual([
      'data-mesh.access.approve',
      'data-mesh.access.read',
      'data-mesh.access.request',
      'data-mesh.evaluation.create',
      'data-mesh.lineage.ingest',
      'data-mesh.lineage.read',
      'data-mesh.quality.ingest',
      'data-mesh.quality.read',
      'data-mesh.scorecard.read',
      'data-mesh.waiver.manage',
    ]);
  });
});
