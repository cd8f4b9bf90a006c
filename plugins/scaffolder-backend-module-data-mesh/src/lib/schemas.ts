import fs from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

/**
 * The ODCS v3.0.x JSON schema the generated repositories validate with.
 *
 * @public
 */
export const ODCS_SCHEMA_FILE = 'odcs-v3.0.x.schema.json';

let odcsSchema: unknown;

/**
 * Reads the ODCS schema shipped in the package's `schemas/` folder. It is a
 * file beside `dist/`, not an import, so that the published package carries
 * it as it is (like the backend's migrations) and its type bundle has no
 * JSON module to resolve.
 *
 * @public
 */
export function readOdcsSchema(): unknown {
  odcsSchema ??= JSON.parse(
    fs.readFileSync(
      resolvePackagePath(
        '@quanta/plugin-scaffolder-backend-module-data-mesh',
        'schemas',
        ODCS_SCHEMA_FILE,
      ),
      'utf8',
    ),
  );
  return odcsSchema;
}
