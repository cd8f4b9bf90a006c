/*
 * The real-browser journeys: starts the demo portal with `npm start` on a
 * throwaway database, drives Chromium through each journey with
 * playwright-core, saves screenshots to e2e/artifacts/ and stops the portal.
 *
 *   npm run e2e [-- --only 1,4] [--update-docs-images] [--keep]
 *
 * Prints one line per journey and a summary line
 * `e2e: N passed, N failed` and writes report.json next to the screenshots
 * (and to $QUANTA_E2E_REPORT when set).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { PortalApi } from './api';
import { errorText, JourneyResult, runJourney, secondsText } from './harness';
import { journeys } from './journeys';
import { Portal, startPortal } from './portal';
import { readSettings, ROOT, Settings } from './settings';
import { prepareMesh, warmUp } from './setup';

/** Screenshots the README shows, by the journey that takes them. */
const DOCS_IMAGES: Array<{ journey: string; file: string; docs: string }> = [
  {
    journey: '2',
    file: '02-data-product-page.png',
    docs: 'data-product-page.png',
  },
  { journey: '2', file: '02-lineage-tab.png', docs: 'lineage-tab.png' },
  {
    journey: '6',
    file: '06-processing-errors-top.png',
    docs: 'data-product-errors.png',
  },
  { journey: '4', file: '04-data-mesh-page.png', docs: 'data-mesh-page.png' },
  { journey: '1', file: '01-team-card.png', docs: 'team-data-products.png' },
  { journey: '5', file: '05-lineage-card.png', docs: 'lineage-card.png' },
  { journey: '5', file: '05-quality-card.png', docs: 'quality-card.png' },
  {
    journey: '8',
    file: '08-contract-change-impact.png',
    docs: 'contract-change-impact.png',
  },
  { journey: '9', file: '09-access-inbox.png', docs: 'access-inbox.png' },
  {
    journey: '9',
    file: '09-lineage-with-an-access-grant.png',
    docs: 'access-grant-lineage.png',
  },
];

type Report = {
  status: 'passed' | 'failed' | 'skipped';
  passed: number;
  failed: number;
  total: number;
  durationMs: number;
  portalStartMs?: number;
  setupError?: string;
  skippedBecause?: string;
  backendRestarts?: number;
  journeys: JourneyResult[];
};

/**
 * Chromium's environment: this process's, without a libfaketime clock.
 * Under LD_PRELOAD libfaketime Chromium's zygote fails and no page ever
 * renders, so when the journeys run with the clock shifted
 * (`faketime -f +365d npm run e2e`) the portal and the journeys' own dates
 * move, and the browser keeps the real clock.
 */
function browserEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('FAKETIME')) continue;
    if (key === 'LD_PRELOAD') {
      const kept = value
        .split(/[: ]/)
        .filter(lib => lib && !lib.includes('faketime'))
        .join(':');
      if (kept) env[key] = kept;
      continue;
    }
    env[key] = value;
  }
  return env;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

function writeReport(settings: Settings, report: Report) {
  const json = `${JSON.stringify(report, null, 2)}\n`;
  fs.mkdirSync(settings.artifactsDir, { recursive: true });
  fs.writeFileSync(path.join(settings.artifactsDir, 'report.json'), json);
  if (settings.reportFile) fs.writeFileSync(settings.reportFile, json);
}

/** Removes what an earlier run left, so every artifact is from this one. */
function clearArtifacts(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  for (const name of fs.readdirSync(dir)) {
    if (/\.(png|json|log)$/.test(name)) fs.rmSync(path.join(dir, name));
  }
}

function printResult(result: JourneyResult) {
  const mark = result.status === 'passed' ? 'PASS' : 'FAIL';
  console.log(
    `e2e: ${mark} journey ${result.id}: ${result.title} (${seconds(
      result.durationMs,
    )})`,
  );
  if (result.backendRestarted) {
    console.log(
      '      the backend restarted during this journey (a source file changed)',
    );
  }
  if (result.timings.length) {
    // What a user waited for on each page; a figure, not a pass/fail.
    const pages = result.timings.map(
      t => `${t.what} ${secondsText(t.ms)}${t.overBudget ? ' (over 5 s)' : ''}`,
    );
    console.log(`      pages: ${pages.join('; ')}`);
  }
  if (result.error) console.log(`      error: ${result.error}`);
  for (const problem of result.problems) console.log(`      ${problem}`);
  if (result.status === 'failed' && result.screenshots.length) {
    console.log(`      screenshots: ${result.screenshots.join(', ')}`);
  }
}

function updateDocsImages(settings: Settings, results: JourneyResult[]) {
  for (const image of DOCS_IMAGES) {
    const result = results.find(r => r.id === image.journey);
    const source = path.join(settings.artifactsDir, image.file);
    if (result?.status !== 'passed' || !fs.existsSync(source)) {
      console.log(
        `e2e: docs/images/${image.docs} kept: journey ${image.journey} did not pass in this run`,
      );
      continue;
    }
    fs.copyFileSync(source, path.join(ROOT, 'docs', 'images', image.docs));
    console.log(`e2e: docs/images/${image.docs} updated from ${image.file}`);
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const settings = readSettings(process.argv.slice(2));
  const unknown = settings.only.filter(id => !journeys.some(j => j.id === id));
  if (unknown.length) {
    throw new Error(
      `no journey ${unknown.join(', ')}; the journeys are ${journeys
        .map(j => j.id)
        .join(', ')}`,
    );
  }
  const selected = settings.only.length
    ? journeys.filter(j => settings.only.includes(j.id))
    : journeys;
  clearArtifacts(settings.artifactsDir);

  if (!settings.chromium) {
    const why = `no Chromium at ${settings.chromiumCandidates.join(
      ', ',
    )}; install it (sudo apt-get install chromium) or point QUANTA_E2E_CHROMIUM at one to run the browser journeys`;
    writeReport(settings, {
      status: settings.required ? 'failed' : 'skipped',
      passed: 0,
      failed: settings.required ? selected.length : 0,
      total: selected.length,
      durationMs: 0,
      skippedBecause: why,
      journeys: [],
    });
    if (settings.required) {
      console.error(`e2e: failed: QUANTA_REQUIRE_E2E=1 and ${why}`);
      return 1;
    }
    console.log(`e2e: skipped: ${why}`);
    return 0;
  }

  let portal: Portal | undefined;
  let browser: Browser | undefined;
  let cleaningUp: Promise<void> | undefined;
  const cleanUp = () => {
    cleaningUp ??= (async () => {
      await browser?.close().catch(() => undefined);
      await portal?.stop();
      if (portal) {
        fs.copyFileSync(
          portal.logFile,
          path.join(settings.artifactsDir, 'portal.log'),
        );
        if (settings.keepWorkDir) {
          console.log(
            `e2e: kept the database and repositories in ${portal.workDir}`,
          );
        } else {
          fs.rmSync(portal.workDir, { recursive: true, force: true });
        }
      }
    })();
    return cleaningUp;
  };
  // A first Ctrl-C stops the portal and exits; a second one exits at once
  // (the portal's process group is then killed on exit).
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      console.error(`e2e: ${signal}: stopping the portal`);
      cleanUp().finally(() => process.exit(130));
    });
  }

  const results: JourneyResult[] = [];
  let setupError: string | undefined;
  let portalStartMs: number | undefined;
  let backendRestarts = 0;
  try {
    console.log(
      'e2e: starting the portal with npm start on a throwaway database',
    );
    portal = await startPortal(settings);
    portalStartMs = Date.now() - started;
    console.log(
      `e2e: portal up in ${seconds(portalStartMs)}: ${
        portal.frontendUrl
      }, backend ${portal.backendUrl}, data in ${portal.workDir}`,
    );
    const api = new PortalApi(portal.backendUrl);
    const { dataProducts } = await prepareMesh(api);
    browser = await chromium.launch({
      executablePath: settings.chromium,
      // Signals are handled above, so that the portal is stopped too.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      env: browserEnv(),
    });
    const restartsBeforeWarmUp = portal.backendRestarts();
    await warmUp(browser, portal).catch(async error => {
      // Again once when a source change restarted the backend meanwhile.
      if (portal!.backendRestarts() === restartsBeforeWarmUp) throw error;
      await portal!.waitUntilUp(120_000);
      await warmUp(browser!, portal!);
    });
    console.log(
      `e2e: catalog holds ${dataProducts} data products, mesh evaluated, pages warmed up (${seconds(
        Date.now() - started,
      )})`,
    );
    for (const journey of selected) {
      // `npm start` restarts the backend when a source file changes, as
      // happens when someone edits the checkout during a run; a journey that
      // fails across such a restart runs once more, if it can be repeated.
      await portal.waitUntilUp(120_000);
      const restartsBefore = portal.backendRestarts();
      let result = await runJourney(journey, {
        browser,
        portal,
        api,
        settings,
      });
      if (portal.backendRestarts() > restartsBefore) {
        result.backendRestarted = true;
        if (result.status === 'failed' && journey.repeatable !== false) {
          printResult(result);
          console.log(
            `e2e: journey ${journey.id} failed while the backend restarted after a source change; running it again`,
          );
          await portal.waitUntilUp(120_000);
          result = await runJourney(journey, {
            browser,
            portal,
            api,
            settings,
          });
          result.rerunAfterRestart = true;
        }
      }
      printResult(result);
      results.push(result);
    }
  } catch (error) {
    setupError = errorText(error);
    console.error(`e2e: setup failed: ${setupError}`);
  } finally {
    // Read before cleanup removes the portal's log.
    backendRestarts = portal?.backendRestarts() ?? 0;
    await cleanUp();
  }

  const passed = results.filter(r => r.status === 'passed').length;
  // Journeys that could not run count as failed.
  const failed = selected.length - passed;
  const report: Report = {
    status: failed ? 'failed' : 'passed',
    passed,
    failed,
    total: selected.length,
    durationMs: Date.now() - started,
    portalStartMs,
    setupError,
    backendRestarts,
    journeys: results,
  };
  writeReport(settings, report);
  if (backendRestarts) {
    console.log(
      `e2e: note: the backend restarted ${backendRestarts} time(s) during the run because source files changed`,
    );
  }
  if (settings.updateDocsImages) updateDocsImages(settings, results);
  console.log(
    `e2e: ${passed} passed, ${failed} failed in ${seconds(
      report.durationMs,
    )}; screenshots in ${
      path.relative(process.cwd(), settings.artifactsDir) || '.'
    }`,
  );
  return failed ? 1 : 0;
}

main().then(
  code => process.exit(code),
  error => {
    console.error(`e2e: ${errorText(error)}`);
    process.exit(1);
  },
);
