import path from 'node:path';
import type {
  Browser,
  BrowserContext,
  Locator,
  Page,
  Request,
  Response,
} from 'playwright-core';
import { PortalApi } from './api';
import type { Portal } from './portal';
import type { Settings } from './settings';

// A common laptop screen: what "visible without scrolling" is judged against.
export const VIEWPORT = { width: 1440, height: 900 };

/**
 * Backend answers that are part of normal use, not failures. Keep these
 * lists short: each entry hides a class of errors from every journey.
 */
const EXPECTED_BACKEND_ERRORS: Array<{
  method: string;
  path: RegExp;
  status: number;
}> = [
  // The guest identity (user:development/guest) has no User entity in the
  // demo catalog; the catalog's pages look it up and handle the 404.
  {
    method: 'GET',
    path: /^\/api\/catalog\/entities\/by-name\/user\/development\/guest$/,
    status: 404,
  },
  // A product the mesh has not evaluated yet: the scorecard card shows
  // "Evaluate now" (journey 3's new products until they are evaluated).
  {
    method: 'GET',
    path: /^\/api\/data-mesh\/scorecards\/dataproduct\/[^/]+\/[^/]+$/,
    status: 404,
  },
  // A product newer than the lineage graph the backend keeps (rebuilt after
  // a while): the lineage card shows no lineage yet.
  {
    method: 'GET',
    path: /^\/api\/data-mesh\/lineage\/dataproduct\/[^/]+\/[^/]+$/,
    status: 404,
  },
];

/** Requests the page cancels itself (net::ERR_ABORTED) in normal use. */
const EXPECTED_ABORTS: RegExp[] = [
  // The scaffolder's task page aborts the task's event stream once the
  // completion event arrived, and when it unmounts.
  /^\/api\/scaffolder\/v2\/tasks\/[^/]+\/eventstream$/,
];

/** A duration as the journeys print it, such as `4.7 s`. */
export const secondsText = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * How long a page took to show its main content; `overBudget` when that was
 * more than the 5 s a user should wait. Reported, not asserted.
 */
export type Timing = { what: string; ms: number; overBudget?: boolean };

/**
 * Every journey starts in a fresh browser context, like a first visit.
 *
 * The browser asks for uncompressed responses: `npm start`'s dev server
 * serves the app as 65 MB of unminified JavaScript without caching headers
 * and compresses it with brotli on every full page load, which alone adds
 * 1.5-2.5 s on a 2-core machine. A built portal serves static, cacheable,
 * precompressed assets, so the page times should measure the portal, not
 * the dev server's compression. Full page loads are still measured.
 */
export function contextOptions() {
  return {
    viewport: VIEWPORT,
    acceptDownloads: true,
    extraHTTPHeaders: { 'Accept-Encoding': 'identity' },
  };
}

/** What a journey gets: a signed-out browser page and helpers. */
export type JourneyContext = {
  page: Page;
  api: PortalApi;
  portal: Portal;
  settings: Settings;
  /** Opens a URL; counts as a page navigation for the 5 s check. */
  open(url: string, main: Locator, what: string): Promise<void>;
  /** Runs an in-app navigation (a click) under the 5 s check. */
  navigate(
    what: string,
    action: () => Promise<unknown>,
    main: Locator,
  ): Promise<void>;
  /**
   * Saves a screenshot as an artifact and returns its path: the whole page,
   * its top `maxHeight` pixels, or one element (`target`).
   */
  screenshot(
    name: string,
    options?: { target?: Locator; maxHeight?: number },
  ): Promise<string>;
  /** Signs in as guest from the sign-in page, as the README says. */
  signIn(): Promise<void>;
  log(message: string): void;
};

export type Journey = {
  id: string;
  title: string;
  /** Longest the journey may take; the default is 90 s. */
  timeoutMs?: number;
  /** False when a second run in the same portal cannot pass (it creates things). */
  repeatable?: boolean;
  run(ctx: JourneyContext): Promise<void>;
};

export type JourneyResult = {
  id: string;
  title: string;
  status: 'passed' | 'failed';
  durationMs: number;
  error?: string;
  /** Page errors, failed backend requests and slow pages. */
  problems: string[];
  timings: Timing[];
  screenshots: string[];
  /** The dev server restarted the backend while the journey ran. */
  backendRestarted?: boolean;
  /** This is the second run, after a first one failed across a restart. */
  rerunAfterRestart?: boolean;
};

/**
 * Watches a browser context for the failures that no single assertion sees:
 * uncaught errors in the page, and requests to the portal's own backend that
 * fail or answer with an error.
 */
class Guards {
  readonly problems: string[] = [];
  private active = true;
  private readonly navigations = new WeakMap<Page, number>();
  private readonly requestNavigation = new WeakMap<Request, number>();
  /** A new document requested and not yet committed, per page. */
  private readonly pendingNavigation = new WeakSet<Page>();

  constructor(context: BrowserContext, private readonly backendUrl: string) {
    context.on('page', page => this.watchPage(page));
    context.on('weberror', error => {
      if (this.active) {
        this.problems.push(`uncaught page error: ${error.error().message}`);
      }
    });
    context.on('request', request => {
      const page = this.pageOf(request);
      if (!page) return;
      if (
        request.isNavigationRequest() &&
        request.frame() === page.mainFrame()
      ) {
        // A new document: what the old one still loads is cancelled now,
        // before the new one commits.
        this.navigations.set(page, (this.navigations.get(page) ?? 0) + 1);
        this.pendingNavigation.add(page);
      }
      this.requestNavigation.set(request, this.navigations.get(page) ?? 0);
    });
    context.on('requestfailed', request => this.onFailed(request));
    context.on('response', response => this.onResponse(response));
  }

  stop() {
    this.active = false;
  }

  /**
   * The journey is about to load another document in `page`: what the
   * current one still loads is cancelled from now on. Chromium can report
   * those cancellations before the request of the new document, so the
   * `request` event alone leaves a window where they look like failures.
   */
  leaving(page: Page) {
    this.navigations.set(page, (this.navigations.get(page) ?? 0) + 1);
    this.pendingNavigation.add(page);
  }

  private watchPage(page: Page) {
    this.navigations.set(page, 0);
    page.on('framenavigated', frame => {
      if (frame === page.mainFrame()) {
        this.navigations.set(page, (this.navigations.get(page) ?? 0) + 1);
        this.pendingNavigation.delete(page);
      }
    });
  }

  private pageOf(request: Request): Page | undefined {
    try {
      return request.frame().page();
    } catch {
      // Service worker requests have no frame.
      return undefined;
    }
  }

  /** The path of a request to the portal's backend API, else undefined. */
  private backendPath(url: string): string | undefined {
    if (!url.startsWith(`${this.backendUrl}/api/`)) return undefined;
    return new URL(url).pathname;
  }

  private onFailed(request: Request) {
    const apiPath = this.backendPath(request.url());
    if (!this.active || !apiPath) return;
    const failure = request.failure()?.errorText ?? 'failed';
    const page = this.pageOf(request);
    const startedAt = this.requestNavigation.get(request);
    if (
      failure === 'net::ERR_ABORTED' &&
      page &&
      ((startedAt !== undefined &&
        (this.navigations.get(page) ?? 0) > startedAt) ||
        // The old page may still start requests after the user asked for
        // a new one; they are cancelled before the new document commits.
        this.pendingNavigation.has(page))
    ) {
      // The browser cancels what the previous page still loaded when the
      // user moves on; that is not a failure of the backend.
      return;
    }
    if (
      failure === 'net::ERR_ABORTED' &&
      EXPECTED_ABORTS.some(pattern => pattern.test(apiPath))
    ) {
      return;
    }
    // Where the page was, so that a request the page cancelled itself can
    // be traced to the component that made it.
    const at = page ? ` (page at ${new URL(page.url()).pathname})` : '';
    this.problems.push(
      `${request.method()} ${apiPath}${at} failed: ${failure}`,
    );
  }

  private onResponse(response: Response) {
    const apiPath = this.backendPath(response.url());
    const status = response.status();
    if (!this.active || !apiPath || status < 400) return;
    const method = response.request().method();
    const expected = EXPECTED_BACKEND_ERRORS.some(
      e => e.method === method && e.status === status && e.path.test(apiPath),
    );
    if (!expected) {
      this.problems.push(`${method} ${apiPath} answered ${status}`);
    }
  }
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * A full-page screenshot at the normal width. The viewport first grows to
 * the page's height: the sidebar is fixed and the entity pages' info column
 * is sticky, so a plain full-page capture draws them over the first screen
 * only.
 */
export async function fullPageScreenshot(
  page: Page,
  file: string,
  maxHeight?: number,
) {
  const height = await page.evaluate(() =>
    Math.max(document.documentElement.scrollHeight, document.body.scrollHeight),
  );
  await page.setViewportSize({
    width: VIEWPORT.width,
    height: Math.min(Math.max(height, VIEWPORT.height), 8000),
  });
  // Let charts and tables lay out at the new size.
  await page.waitForTimeout(300);
  await page.screenshot({
    path: file,
    fullPage: true,
    animations: 'disabled',
    caret: 'hide',
    clip: maxHeight
      ? {
          x: 0,
          y: 0,
          width: VIEWPORT.width,
          height: Math.min(height, maxHeight),
        }
      : undefined,
  });
  await page.setViewportSize(VIEWPORT);
}

/** The catalog's first row: the demo's home page is the catalog. */
export const catalogLoaded = (page: Page) =>
  page
    .getByRole('table')
    .filter({ hasText: 'Lifecycle' })
    .locator('tbody tr')
    .first();

export async function signIn(page: Page, frontendUrl: string) {
  await page.goto(`${frontendUrl}/`, { waitUntil: 'commit' });
  await page.getByRole('button', { name: 'Enter' }).click();
  await catalogLoaded(page).waitFor({ state: 'visible' });
}

export async function runJourney(
  journey: Journey,
  options: {
    browser: Browser;
    portal: Portal;
    api: PortalApi;
    settings: Settings;
  },
): Promise<JourneyResult> {
  const { browser, portal, api, settings } = options;
  const started = Date.now();
  const timings: Timing[] = [];
  const screenshots: string[] = [];
  const context = await browser.newContext(contextOptions());
  // Waits inside a journey; page times are recorded separately.
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(30_000);
  const guards = new Guards(context, portal.backendUrl);
  const page = await context.newPage();
  const prefix = `${journey.id.padStart(2, '0')}-`;

  const limitMs = settings.mainContentLimitMs;
  /**
   * Records how long a page took to show its main content. The time is
   * reported, never asserted: a journey proves what a user sees, and a
   * loaded 2-core machine (the other core running tests, a garbage
   * collection in the dev server) can make any page slow once. A page over
   * the budget is marked in the output and the report, for a person to read.
   */
  const timed = async (what: string, load: () => Promise<void>) => {
    const begin = Date.now();
    await load();
    const timing: Timing = { what, ms: Date.now() - begin };
    if (timing.ms > limitMs) timing.overBudget = true;
    timings.push(timing);
  };

  const ctx: JourneyContext = {
    page,
    api,
    portal,
    settings,
    async open(url, main, what) {
      const load = async () => {
        guards.leaving(page);
        await page.goto(new URL(url, portal.frontendUrl).toString(), {
          waitUntil: 'commit',
        });
        await main.waitFor({ state: 'visible', timeout: 30_000 });
      };
      await timed(what, load);
    },
    async navigate(what, action, main) {
      await timed(what, async () => {
        await action();
        await main.waitFor({ state: 'visible', timeout: 30_000 });
      });
    },
    async screenshot(name, options = {}) {
      const file = path.join(
        settings.artifactsDir,
        `${prefix}${slug(name)}.png`,
      );
      if (options.target) {
        await options.target.screenshot({ path: file, animations: 'disabled' });
      } else {
        await fullPageScreenshot(page, file, options.maxHeight);
      }
      screenshots.push(file);
      return file;
    },
    async signIn() {
      await ctx.open(
        '/',
        page.getByRole('button', { name: 'Enter' }),
        'sign-in page',
      );
      await ctx.navigate(
        'catalog after signing in as guest',
        () => page.getByRole('button', { name: 'Enter' }).click(),
        catalogLoaded(page),
      );
    },
    log(message) {
      console.log(`    ${message}`);
    },
  };

  let error: string | undefined;
  const timeoutMs = journey.timeoutMs ?? 90_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      journey.run(ctx),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`took longer than ${timeoutMs / 1000} s`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (e) {
    error = errorText(e);
    try {
      const file = path.join(settings.artifactsDir, `${prefix}failed.png`);
      await fullPageScreenshot(page, file);
      screenshots.push(file);
    } catch {
      // The page may be gone; the error says what happened.
    }
  } finally {
    clearTimeout(timer);
    guards.stop();
    await context.close().catch(() => undefined);
  }

  const problems = guards.problems;
  return {
    id: journey.id,
    title: journey.title,
    status: error || problems.length ? 'failed' : 'passed',
    durationMs: Date.now() - started,
    error,
    problems,
    timings,
    screenshots,
  };
}

/** An error's message without the browser's own log, which Playwright appends. */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (
    message
      .replace(/\nBrowser logs:[\s\S]*?(?=\nCall log:|$)/, '')
      // Colours, which CI logs show as codes.
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b\[[0-9;]*m/g, '')
  );
}

/** Polls until `probe` returns a value other than undefined. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 1000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not within ${timeoutMs / 1000} s${
          last instanceof Error ? ` (${last.message})` : ''
        }`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

/** Throws with a message naming what differs. */
export function expectEqual<T>(actual: T, expected: T, what: string) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) {
    throw new Error(`${what}: found ${a}, expected ${e}`);
  }
}

/**
 * Reads until what the page shows equals the expected value: entity links
 * show an entity's name first and its title once the catalog answered.
 */
export async function expectShown<T>(
  read: () => Promise<T>,
  expected: T,
  what: string,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  let actual = await read();
  while (
    JSON.stringify(actual) !== JSON.stringify(expected) &&
    Date.now() < deadline
  ) {
    await new Promise(resolve => setTimeout(resolve, 250));
    actual = await read();
  }
  expectEqual(actual, expected, what);
}

export function expectTrue(condition: unknown, what: string) {
  if (!condition) throw new Error(what);
}
