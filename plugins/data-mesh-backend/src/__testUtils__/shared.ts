import fs from 'node:fs';
import path from 'node:path';

/**
 * `../shared` beside the repository: the official schemas of the standards
 * (`standards/`) and files real tools wrote (`real-world/`). Tests read them
 * there and never copy them.
 */
export const SHARED_DIR = path.resolve(__dirname, '../../../../../shared');

/**
 * `describe`, over a folder of `../shared`. Where the folder is missing the
 * block is skipped with the reason in its title, unless
 * `QUANTA_REQUIRE_SHARED=1` (CI), where a missing folder fails the run.
 */
export function describeShared(
  folder: string,
  name: string,
  body: (dir: string) => void,
) {
  const dir = path.join(SHARED_DIR, folder);
  if (fs.existsSync(dir)) {
    describe(name, () => body(dir));
    return;
  }
  if (process.env.QUANTA_REQUIRE_SHARED === '1') {
    throw new Error(
      `${dir} is missing: the tests on real and official material need ../shared beside the repository`,
    );
  }
  describe.skip(`${name} (skipped: ${dir} is missing)`, () => {
    it('needs ../shared', () => {});
  });
}

/** The JSON files of a folder, by name. */
export function jsonFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter(file => file.endsWith('.json'))
    .sort();
}
