import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';

/**
 * Resolves a path the template gave relative to the workspace. Absolute
 * paths, `..` and symlinks that lead outside the workspace are refused, so
 * no input can make an action read or write elsewhere on the server.
 */
export function workspacePath(workspace: string, relative: string): string {
  if (path.isAbsolute(relative)) {
    throw new InputError(
      `The path "${relative}" is absolute; expected a path relative to the workspace`,
    );
  }
  return resolveSafeChildPath(workspace, relative);
}

/** Writes one file under the workspace, creating its folders. */
export async function writeWorkspaceFile(
  workspace: string,
  relative: string,
  content: string,
): Promise<string> {
  const target = workspacePath(workspace, relative);
  await fs.mkdir(path.dirname(target), { recursive: true });
  // The parent folders now exist, so resolving again also catches a symlinked
  // folder created in between that points outside the workspace.
  const checked = workspacePath(workspace, relative);
  await fs.writeFile(checked, content, 'utf8');
  return checked;
}

/** The path relative to the workspace, with forward slashes, for outputs and logs. */
export function displayPath(workspace: string, target: string): string {
  return path.relative(workspace, target).split(path.sep).join('/');
}
