import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import yaml from 'yaml';

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

/**
 * A YAML document that YAML 1.1 readers (PyYAML, as in dbt and the generated
 * quality runner) read as YAML 1.2 readers (the catalog) do: strings such as
 * `no`, `on` or a timestamp are quoted, which 1.1 would otherwise read as a
 * boolean or a date.
 */
export function yamlDocument(value: unknown): yaml.Document {
  return new yaml.Document(value, { version: '1.1' });
}
