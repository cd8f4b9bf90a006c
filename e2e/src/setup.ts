import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { parseAllDocuments } from 'yaml';
import { PortalApi } from './api';
import { contextOptions, eventually, signIn } from './harness';
import { FIXTURES, Portal } from './portal';
import { ROOT } from './settings';

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(file);
    return /\.ya?ml$/.test(entry.name) ? [file] : [];
  });
}

/** DataProducts declared in the demo mesh and the fixtures. */
function declaredDataProducts(): number {
  return [...yamlFiles(path.join(ROOT, 'examples')), ...FIXTURES]
    .flatMap(file => parseAllDocuments(fs.readFileSync(file, 'utf8')))
    .filter(doc => (doc.toJS() as any)?.kind === 'DataProduct').length;
}

/**
 * Waits until the catalog holds every data product of the demo mesh and the
 * fixtures, then has the mesh evaluated. The backend's first scheduled run
 * (15 s after start) may come before the catalog has read everything, so
 * the journeys evaluate once more, as a platform owner can with
 * `POST /api/data-mesh/evaluations`.
 */
export async function prepareMesh(api: PortalApi) {
  const expected = declaredDataProducts();
  await eventually(
    `the catalog holding all ${expected} data products`,
    async () => {
      const page = await api.get(
        '/api/catalog/entities/by-query?filter=kind=dataproduct&limit=1',
      );
      return page.totalItems >= expected ? true : undefined;
    },
    240_000,
    2000,
  );

  const run = await eventually(
    'an evaluation of the mesh',
    async () => {
      const { status, body } = await api.request(
        'POST',
        '/api/data-mesh/evaluations',
        {},
      );
      // 409: the scheduled run is under way; ask again when it is done.
      if (status === 409) return undefined;
      if (status >= 400) {
        throw new Error(
          `evaluation answered ${status}: ${JSON.stringify(body)}`,
        );
      }
      return body.run;
    },
    120_000,
    2000,
  );
  if (run.status !== 'completed') {
    await eventually(
      `evaluation run ${run.id} to complete`,
      async () => {
        const { items } = await api.get('/api/data-mesh/runs');
        const current = items.find((item: any) => item.id === run.id);
        if (current?.status === 'failed') {
          throw new Error(`evaluation run ${run.id} failed`);
        }
        return current?.status === 'completed' ? current : undefined;
      },
      120_000,
    );
  }
  return { dataProducts: expected };
}

/**
 * Opens each kind of page once before anything is timed: the first visit
 * after `npm start` pays for the dev server's first delivery of each bundle
 * chunk (unminified, with source maps) and the backend's cold caches, which
 * no user of a running portal waits for. Page times are recorded from here on.
 */
export async function warmUp(browser: Browser, portal: Portal) {
  const context = await browser.newContext(contextOptions());
  context.setDefaultTimeout(60_000);
  try {
    const page = await context.newPage();
    await signIn(page, portal.frontendUrl);
    const visits: Array<[string, string]> = [
      ['/catalog/default/dataproduct/orders', 'Governance scorecard'],
      ['/catalog/default/group/sales-data', 'Data products and their levels'],
      ['/data-mesh', 'The mesh today'],
      ['/create', 'Source-aligned data product'],
      ['/create/templates/default/source-aligned-data-product', 'Review'],
      ['/catalog-graph', 'Catalog Graph'],
    ];
    for (const [url, text] of visits) {
      await page.goto(`${portal.frontendUrl}${url}`);
      await page.getByText(text).first().waitFor({ state: 'visible' });
    }
  } finally {
    await context.close();
  }
}
