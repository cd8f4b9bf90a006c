import fs from 'node:fs';
import path from 'node:path';

/**
 * `../shared` beside the repository: the official schemas of the standards
 * (`standards/`) and files real tools wrote (`real-world/`). Tests read them
 * there and never copy them.
 */
export const SHARED_DIR = path.resolve(__dirname, '../../../../../shared');

/**
 * A folder of `../shared`, or undefined where it is missing: its tests then
 * skip, saying why in their title (see {@link sharedTitle}). With
 * `QUANTA_REQUIRE_SHARED=1` (CI) a missing folder throws instead.
 */
export function sharedDir(folder: string): string | undefined {
  const dir = path.join(SHARED_DIR, folder);
  if (fs.existsSync(dir)) return dir;
  if (process.env.QUANTA_REQUIRE_SHARED === '1') {
    throw new Error(
      `${dir} is missing: the tests on real and official material need ../shared beside the repository`,
    );
  }
  return undefined;
}

/** A title that says, where the folder is missing, why its tests skip. */
export function sharedTitle(folder: string, title: string): string {
  const dir = path.join(SHARED_DIR, folder);
  return fs.existsSync(dir) ? title : `${title} (skipped: ${dir} is missing)`;
}

/**
 * A suite over a folder of `../shared`: `describe` where the folder is there,
 * `describe.skip` with the reason in the title where it is not (or a throw,
 * under `QUANTA_REQUIRE_SHARED=1`), and the folder.
 */
export function sharedSuite(folder: string, title: string) {
  const dir = sharedDir(folder);
  return {
    describe: dir ? describe : describe.skip,
    title: sharedTitle(folder, title),
    dir: dir ?? '',
  };
}

/** The JSON files of a folder, by name. */
export function jsonFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter(file => file.endsWith('.json'))
    .sort();
}
