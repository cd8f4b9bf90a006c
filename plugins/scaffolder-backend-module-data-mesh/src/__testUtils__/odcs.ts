import fs from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';

/**
 * The official ODCS JSON schemas, from `../shared/standards/odcs` beside the
 * repository (never copied here). Where that folder is missing the suites
 * using it skip, saying why in their title; under `QUANTA_REQUIRE_SHARED=1`
 * (CI) they fail instead.
 */
export const ODCS_DIR = path.resolve(
  __dirname,
  '../../../../../shared/standards/odcs',
);

const present = fs.existsSync(ODCS_DIR);
if (!present && process.env.QUANTA_REQUIRE_SHARED === '1') {
  throw new Error(
    `${ODCS_DIR} is missing: the contract tests validate against the official ODCS schemas there`,
  );
}

/** `describe`, or `describe.skip` with the reason, where the schemas are missing. */
export const odcsSuite = {
  describe: present ? describe : describe.skip,
  title: (title: string) =>
    present ? title : `${title} (skipped: ${ODCS_DIR} is missing)`,
};

const validators = new Map<string, ReturnType<Ajv2019['compile']>>();

/**
 * The official schema a contract is checked with, by its apiVersion: the
 * v3.0 line with its latest patch (v3.0.2), any other version with its own.
 */
export function officialOdcsValidator(apiVersion: string) {
  const version = /^v3\.0\.\d+$/.test(apiVersion) ? 'v3.0.2' : apiVersion;
  let validate = validators.get(version);
  if (!validate) {
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(
      JSON.parse(
        fs.readFileSync(
          path.join(ODCS_DIR, `odcs-json-schema-${version}.json`),
          'utf8',
        ),
      ),
    );
    validators.set(version, validate);
  }
  return validate;
}

/** The errors of a contract under the official schema of its apiVersion. */
export function officialOdcsErrors(contract: { apiVersion?: unknown }) {
  const validate = officialOdcsValidator(String(contract.apiVersion));
  return validate(contract) ? [] : validate.errors;
}
