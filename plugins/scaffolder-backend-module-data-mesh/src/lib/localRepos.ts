import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { targetPaths } from '@backstage/cli-common';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

export const LOCAL_PUBLISH_DIRECTORY_KEY =
  'dataMesh.scaffolder.localPublish.directory';

/**
 * The folder local repositories are published to: the configured one
 * (relative to the backend's working directory, as the catalog reads file
 * locations), or `.data/repos` under the repository root.
 */
export function localPublishDirectory(config: Config): string {
  const configured = config.getOptionalString(LOCAL_PUBLISH_DIRECTORY_KEY);
  if (configured) return path.resolve(configured);
  return path.join(targetPaths.rootDir, '.data', 'repos');
}

const REPO_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The folder of one repository; names that could leave the folder are refused. */
export function localRepoPath(directory: string, repoName: string): string {
  if (!REPO_NAME.test(repoName) || repoName.includes('..')) {
    throw new InputError(
      `repoName "${repoName}" is not a repository name; expected letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  return resolveSafeChildPath(directory, repoName);
}

/**
 * Targets of the `file` locations in app-config, made absolute against the
 * backend's working directory as the catalog's config provider does.
 */
export function configFileLocations(config: Config): string[] {
  return (config.getOptionalConfigArray('catalog.locations') ?? [])
    .filter(location => location.getOptionalString('type') === 'file')
    .map(location => path.resolve(location.getString('target')));
}
