import fs from 'node:fs';
import path from 'node:path';

/** The repository root, where `npm start` runs. */
export const ROOT = path.resolve(__dirname, '..', '..');
export const E2E_DIR = path.resolve(__dirname, '..');

/** Where Debian, Ubuntu and most images put Chromium. */
const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

export type Settings = {
  /** Chromium to drive, or undefined when none is installed. */
  chromium?: string;
  chromiumCandidates: string[];
  /** Fail instead of skipping when no Chromium is found. */
  required: boolean;
  /** Ports asked for; busy default ports are replaced by free ones. */
  frontendPort?: number;
  backendPort?: number;
  artifactsDir: string;
  /** Extra copy of the JSON report, for CI. */
  reportFile?: string;
  /** Copy the screenshots the README shows to docs/images. */
  updateDocsImages: boolean;
  /** Journey ids to run; all when empty. */
  only: string[];
  /** Keep the throwaway database and repositories for inspection. */
  keepWorkDir: boolean;
  /** Longest wait for `npm start` to answer. */
  startTimeoutMs: number;
  /** Budget for a page to show its main content. */
  mainContentLimitMs: number;
};

function port(name: string): number | undefined {
  const value = process.env[name];
  if (!value) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0 || parsed > 65535) {
    throw new Error(`${name}: found "${value}", expected a TCP port number`);
  }
  return parsed;
}

export function readSettings(argv: string[]): Settings {
  const only: string[] = [];
  let updateDocsImages = false;
  let keepWorkDir = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--update-docs-images') updateDocsImages = true;
    else if (arg === '--keep') keepWorkDir = true;
    else if (arg === '--only') only.push(...(argv[++i] ?? '').split(','));
    else if (arg.startsWith('--only=')) only.push(...arg.slice(7).split(','));
    else {
      throw new Error(
        `unknown argument "${arg}"; expected --only <ids>, --update-docs-images or --keep`,
      );
    }
  }

  const explicit = process.env.QUANTA_E2E_CHROMIUM;
  const candidates = explicit ? [explicit] : CHROMIUM_CANDIDATES;
  return {
    chromium: candidates.find(candidate => fs.existsSync(candidate)),
    chromiumCandidates: candidates,
    required: process.env.QUANTA_REQUIRE_E2E === '1',
    frontendPort: port('QUANTA_E2E_FRONTEND_PORT'),
    backendPort: port('QUANTA_E2E_BACKEND_PORT'),
    artifactsDir: path.resolve(
      process.env.QUANTA_E2E_ARTIFACTS ?? path.join(E2E_DIR, 'artifacts'),
    ),
    reportFile: process.env.QUANTA_E2E_REPORT || undefined,
    updateDocsImages,
    only: only.filter(Boolean),
    keepWorkDir,
    startTimeoutMs:
      Number(process.env.QUANTA_E2E_START_TIMEOUT_SECONDS || 420) * 1000,
    mainContentLimitMs: 5000,
  };
}
