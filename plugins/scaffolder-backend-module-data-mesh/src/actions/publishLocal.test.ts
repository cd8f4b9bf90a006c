import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createPublishLocalAction } from './publishLocal';
import { createRegisterLocalAction } from './registerLocal';

const mockDir = createMockDirectory();
const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-outside-'));
afterAll(() => fs.rmSync(outside, { recursive: true, force: true }));

const repos = () => mockDir.resolve('repos');
const workspace = () => mockDir.resolve('workspace');

const descriptor = [
  'apiVersion: quanta.dev/v1alpha1',
  'kind: DataProduct',
  'metadata:',
  '  name: store-visits',
  '  description: "${{ secrets.token }} {{ 7 * 7 }}"',
  '',
].join('\n');

beforeEach(() => {
  mockDir.setContent({
    workspace: {
      'catalog-info.yaml': descriptor,
      'README.md': '# {% raw %} stays {{ as typed }}',
      'docs/index.md': '# Docs',
    },
    repos: {},
  });
});

function context(input: object, isDryRun = false) {
  return {
    ...createMockActionContext({
      input: input as any,
      workspacePath: workspace(),
      logger: mockServices.logger.mock(),
    }),
    isDryRun,
  };
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

describe('data-mesh:publish:local', () => {
  it('publishes the workspace as a repository with one commit', async () => {
    const ctx = context({
      repoName: 'store-visits',
      commitMessage: 'Create it',
    });
    await createPublishLocalAction({ directory: repos() }).handler(ctx as any);
    const repo = path.join(repos(), 'store-visits');
    expect(git(repo, 'log', '--format=%s')).toBe('Create it');
    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(git(repo, 'ls-files').split('\n').sort()).toEqual([
      'README.md',
      'catalog-info.yaml',
      'docs/index.md',
    ]);
    expect(fs.readFileSync(path.join(repo, 'catalog-info.yaml'), 'utf8')).toBe(
      descriptor,
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'commitHash',
      git(repo, 'rev-parse', 'HEAD'),
    );
    expect(ctx.output).toHaveBeenCalledWith('remoteUrl', `file://${repo}`);
    // The folder is the remote: it clones.
    const clone = mockDir.resolve('clone');
    execFileSync('git', ['clone', '--quiet', repo, clone]);
    expect(fs.existsSync(path.join(clone, 'catalog-info.yaml'))).toBe(true);
  });

  it('does not overwrite a repository that exists', async () => {
    mockDir.addContent({ 'repos/store-visits/keep.txt': 'mine' });
    await expect(
      createPublishLocalAction({ directory: repos() }).handler(
        context({ repoName: 'store-visits' }) as any,
      ),
    ).rejects.toThrow('A repository named store-visits already exists');
    expect(fs.readdirSync(path.join(repos(), 'store-visits'))).toEqual([
      'keep.txt',
    ]);
  });

  it.each(['../escape', '..', '.hidden', 'a/b', '/tmp/x'])(
    'refuses the repository name %s',
    async repoName => {
      await expect(
        createPublishLocalAction({ directory: repos() }).handler(
          context({ repoName }) as any,
        ),
      ).rejects.toThrow('is not a repository name');
      expect(fs.readdirSync(repos())).toEqual([]);
    },
  );

  it.each([
    ['../', 'outside its parent'],
    ['/etc', 'absolute'],
  ])('refuses the source path %s', async (sourcePath, message) => {
    await expect(
      createPublishLocalAction({ directory: repos() }).handler(
        context({ repoName: 'x', sourcePath }) as any,
      ),
    ).rejects.toThrow(message);
  });

  it('leaves symlinks out, so nothing outside the workspace is published', async () => {
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    fs.symlinkSync(outside, path.join(workspace(), 'linked'));
    fs.symlinkSync(
      path.join(outside, 'secret.txt'),
      path.join(workspace(), 'secret.txt'),
    );
    const ctx = context({ repoName: 'store-visits' });
    await createPublishLocalAction({ directory: repos() }).handler(ctx as any);
    const repo = path.join(repos(), 'store-visits');
    expect(fs.existsSync(path.join(repo, 'linked'))).toBe(false);
    expect(fs.existsSync(path.join(repo, 'secret.txt'))).toBe(false);
    expect(ctx.logger.warn).toHaveBeenCalledWith(
      'Not published, as it is a symbolic link: linked',
    );
  });

  it('publishes nothing in a dry run', async () => {
    const ctx = context({ repoName: 'store-visits' }, true);
    await createPublishLocalAction({ directory: repos() }).handler(ctx as any);
    expect(fs.readdirSync(repos())).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith(
      'repoPath',
      path.join(repos(), 'store-visits'),
    );
  });
});

describe('data-mesh:register:local', () => {
  const location = (target: string): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: { name: `generated-${target.length}` },
    spec: { type: 'file', target },
  });

  async function publish() {
    await createPublishLocalAction({ directory: repos() }).handler(
      context({ repoName: 'store-visits' }) as any,
    );
  }

  it('refreshes the location that reads the repository and waits for the entity', async () => {
    await publish();
    const glob = path.join(repos(), '*', 'catalog-info.yaml');
    const catalog = catalogServiceMock({
      entities: [location(glob), location('/somewhere/else.yaml')],
    });
    const refresh = jest.spyOn(catalog, 'refreshEntity');
    let lookups = 0;
    jest.spyOn(catalog, 'getEntityByRef').mockImplementation(async () => {
      // Appears on the second look, as after one pass of the catalog.
      lookups++;
      return lookups > 1 ? ({ kind: 'DataProduct' } as Entity) : undefined;
    });
    const ctx = context({ repoName: 'store-visits' });
    await createRegisterLocalAction({ catalog, directory: repos() }).handler(
      ctx as any,
    );
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledWith(
      `location:default/generated-${glob.length}`,
      { credentials: await ctx.getInitiatorCredentials() },
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'dataproduct:default/store-visits',
    );
    expect(lookups).toBe(2);
  });

  it('refreshes the app-config location even while the catalog does not show it', async () => {
    // A glob that matched no file yet fails to process, so the catalog has no
    // Location entity to show; its name follows from the target all the same.
    await publish();
    const glob = path.join(repos(), '*', 'catalog-info.yaml');
    const catalog = catalogServiceMock({ entities: [] });
    const refresh = jest.spyOn(catalog, 'refreshEntity');
    jest
      .spyOn(catalog, 'getEntityByRef')
      .mockResolvedValue({ kind: 'DataProduct' } as Entity);
    await createRegisterLocalAction({
      catalog,
      directory: repos(),
      configLocations: [glob, '/work/examples/all.yaml'],
    }).handler(context({ repoName: 'store-visits' }) as any);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh.mock.calls[0][0]).toBe(
      `location:default/generated-${createHash('sha1')
        .update(`file:${glob}`)
        .digest('hex')}`,
    );
  });

  it('says which location to add when none reads the repository', async () => {
    await publish();
    const catalog = catalogServiceMock({ entities: [] });
    await expect(
      createRegisterLocalAction({ catalog, directory: repos() }).handler(
        context({ repoName: 'store-visits' }) as any,
      ),
    ).rejects.toThrow(
      `The catalog has no location that reads ${path.join(
        repos(),
        'store-visits',
        'catalog-info.yaml',
      )}. Add one to app-config under catalog.locations: { type: file, target: ${path.join(
        repos(),
        '*',
        'catalog-info.yaml',
      )} }`,
    );
  });

  it.each([
    [{ repoName: '../workspace' }, 'is not a repository name'],
    [
      {
        repoName: 'store-visits',
        catalogInfoPath: '../../workspace/catalog-info.yaml',
      },
      'outside its parent',
    ],
  ])('refuses %o', async (input, message) => {
    await publish();
    const catalog = catalogServiceMock({ entities: [] });
    await expect(
      createRegisterLocalAction({ catalog, directory: repos() }).handler(
        context(input) as any,
      ),
    ).rejects.toThrow(message);
  });

  it('touches nothing in a dry run', async () => {
    const catalog = catalogServiceMock.mock();
    await createRegisterLocalAction({ catalog, directory: repos() }).handler(
      context({ repoName: 'store-visits' }, true) as any,
    );
    expect(catalog.refreshEntity).not.toHaveBeenCalled();
    expect(catalog.getEntities).not.toHaveBeenCalled();
  });
});
