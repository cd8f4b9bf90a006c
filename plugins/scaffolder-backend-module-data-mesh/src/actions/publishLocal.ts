import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { workspacePath } from '../lib/files';
import { localRepoPath } from '../lib/localRepos';
import { examples } from './publishLocal.examples';

const run = promisify(execFile);

/** Copies a tree without symlinks, which could expose files outside it once read. */
async function copyTree(
  from: string,
  to: string,
  skipped: string[],
  relative = '',
): Promise<void> {
  await fs.mkdir(to, { recursive: true });
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    const name = path.join(relative, entry.name);
    if (entry.name === '.git' && relative === '') continue;
    if (entry.isSymbolicLink()) {
      skipped.push(name);
    } else if (entry.isDirectory()) {
      await copyTree(
        path.join(from, entry.name),
        path.join(to, entry.name),
        skipped,
        name,
      );
    } else if (entry.isFile()) {
      await fs.copyFile(path.join(from, entry.name), path.join(to, entry.name));
    }
  }
}

/**
 * `data-mesh:publish:local`: publishes the workspace as a new git repository
 * in a folder on the backend's machine, for portals without a git host (the
 * demo, offline evaluation). The folder itself is the remote: clone it, and
 * pushes to its checked-out branch update its files, which the catalog reads.
 *
 * @public
 */
export function createPublishLocalAction(options: { directory: string }) {
  const { directory } = options;
  return createTemplateAction({
    id: 'data-mesh:publish:local',
    description:
      'Publishes the workspace as a git repository in a local folder (the configured dataMesh.scaffolder.localPublish.directory), with one commit',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z
            .string()
            .describe(
              'Name of the repository folder, such as the product name',
            ),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Folder of the workspace to publish; all of it when omitted',
            ),
        defaultBranch: z =>
          z
            .string()
            .optional()
            .describe('Branch to commit to; main when omitted'),
        commitMessage: z =>
          z
            .string()
            .optional()
            .describe(
              'Message of the first commit; "Initial commit" when omitted',
            ),
      },
      output: {
        remoteUrl: z => z.string().describe('file:// URL of the repository'),
        repoContentsUrl: z => z.string(),
        repoPath: z => z.string().describe('Folder of the repository'),
        commitHash: z => z.string().optional(),
      },
    },
    async handler(ctx) {
      const { repoName } = ctx.input;
      const branch = ctx.input.defaultBranch ?? 'main';
      if (
        !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(branch) ||
        branch.includes('..')
      ) {
        throw new InputError(`defaultBranch "${branch}" is not a branch name`);
      }
      const source = workspacePath(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
      );
      const target = localRepoPath(directory, repoName);
      const remoteUrl = pathToFileURL(target).toString();
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('repoContentsUrl', remoteUrl);
      ctx.output('repoPath', target);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would publish the workspace to ${target}`);
        return;
      }

      const commitHash = await ctx.checkpoint({
        key: `data-mesh.publish.local.${repoName}`,
        fn: async () => {
          const exists = await fs
            .stat(target)
            .then(() => true)
            .catch(() => false);
          if (exists) {
            throw new InputError(
              `A repository named ${repoName} already exists in ${directory}; choose another name`,
            );
          }
          const skipped: string[] = [];
          try {
            await copyTree(source, target, skipped);
            for (const name of skipped) {
              ctx.logger.warn(
                `Not published, as it is a symbolic link: ${name}`,
              );
            }
            const author = ctx.user?.entity?.spec?.profile;
            const name = author?.displayName ?? 'Backstage scaffolder';
            const email = author?.email ?? 'scaffolder@localhost';
            const git = (...args: string[]) =>
              run(
                'git',
                [
                  // Hooks and signing from the server's git setup have no
                  // place in a repository the portal creates.
                  '-c',
                  'core.hooksPath=/dev/null',
                  '-c',
                  'commit.gpgSign=false',
                  '-c',
                  `user.name=${name}`,
                  '-c',
                  `user.email=${email}`,
                  ...args,
                ],
                {
                  cwd: target,
                  env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
                },
              );
            await git('init', '--quiet', `--initial-branch=${branch}`);
            // Pushes to the checked-out branch update the files the catalog reads.
            await git('config', 'receive.denyCurrentBranch', 'updateInstead');
            await git('add', '--all');
            await git(
              'commit',
              '--quiet',
              '-m',
              ctx.input.commitMessage ?? 'Initial commit',
            );
            const { stdout } = await git('rev-parse', 'HEAD');
            return stdout.trim();
          } catch (error) {
            await fs.rm(target, { recursive: true, force: true });
            throw error;
          }
        },
      });
      ctx.logger.info(
        `Published ${repoName} to ${target} (commit ${commitHash})`,
      );
      ctx.output('commitHash', commitHash);
    },
  });
}
