import path from 'node:path';
import type { Page } from 'playwright-core';
import { checkAccessibility } from '../a11y';
import type { PortalApi } from '../api';
import { displayName } from '../api';
import { expectShown, expectTrue, Journey } from '../harness';
import { levelText, sorted } from './table';

const PRODUCT = 'customer-lifetime-value';
/** A column of one of its output ports, which other products have too. */
const COLUMN = 'customer_id';
/** A word of its description. */
const WORD = 'predicted';
/** The size of the picture for the docs: a laptop screen. */
const SCREEN = { width: 1440, height: 900 };

type SearchResult = { type: string; document: Record<string, any> };

/** The search backend's answer, as the search page asks it. */
async function searchApi(
  api: PortalApi,
  term: string,
  filters: Record<string, string> = {},
): Promise<SearchResult[]> {
  const query = new URLSearchParams({ term, 'types[0]': 'data-product' });
  for (const [key, value] of Object.entries(filters)) {
    query.set(`filters[${key}]`, value);
  }
  const { results } = await api.get(`/api/search/query?${query.toString()}`);
  return results;
}

/**
 * Waits for the search index to hold the product with its current level:
 * the module indexes again when governance changes, and in any case every
 * two minutes in the demo.
 */
async function waitForIndex(
  api: PortalApi,
  name: string,
  level: string,
  log: (message: string) => void,
) {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const results = await searchApi(api, COLUMN);
    const document = results.find(r => r.document.name === name)?.document;
    if (document?.governanceLevel === level) return;
    if (Date.now() > deadline) {
      throw new Error(
        `the search index has ${name} ${
          document
            ? `at level ${document.governanceLevel ?? '(none indexed)'}`
            : 'nowhere'
        } for "${COLUMN}", not at level ${level}, after 150 s`,
      );
    }
    log(`waiting for the search index to hold ${name} at level ${level}`);
    await new Promise(resolve => setTimeout(resolve, 5_000));
  }
}

/** A search page facet: a select under its label. */
async function pickFacet(page: Page, label: string, option: string) {
  await page
    .locator('.MuiFormControl-root')
    .filter({
      has: page.locator('label', { hasText: new RegExp(`^${label}$`) }),
    })
    .getByRole('button')
    .click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The titles of the data product results shown: the items with a domain. */
async function shownTitles(page: Page): Promise<string[]> {
  const items = page
    .getByRole('listitem')
    .filter({ has: page.getByText(/^Domain: /) });
  const titles: string[] = [];
  for (const item of await items.all()) {
    titles.push((await item.getByRole('link').first().innerText()).trim());
  }
  return titles;
}

/**
 * Journey 7: a data consumer searches the portal for a column name and a
 * word of a description, sees which output port carries the column, narrows
 * the results to data products of one domain and level, and opens the one
 * they were after.
 */
export const consumerSearches: Journey = {
  id: '7',
  title:
    'A consumer searches a column name and a description word, filters by domain and level, and opens the product',
  timeoutMs: 240_000,
  async run({ page, api, navigate, signIn, settings, log }) {
    const [product] = await api.entities(
      `kind=dataproduct,metadata.name=${PRODUCT}`,
    );
    expectTrue(product, `${PRODUCT} is in the catalog`);
    const title = displayName(product);
    expectTrue(
      String(product.metadata.description).includes(WORD),
      `the description of ${PRODUCT} has "${WORD}"`,
    );
    const port = product.spec.outputPorts.find((p: any) =>
      (p.schema ?? []).some((f: any) => f.name === COLUMN),
    );
    expectTrue(port, `an output port of ${PRODUCT} has the column ${COLUMN}`);
    const domainRef = String(product.spec.domain);
    const domainName = domainRef.split('/').pop()!;
    const [domain] = await api.entities(
      `kind=domain,metadata.name=${domainName}`,
    );
    expectTrue(domain, `domain ${domainRef} is in the catalog`);
    const { level } = await api.get(
      `/api/data-mesh/scorecards/dataproduct/default/${PRODUCT}`,
    );
    await waitForIndex(api, PRODUCT, level, log);

    await signIn();

    // The sidebar's search: the column name finds products, each naming
    // the port that carries it.
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('button', { name: 'Search', exact: true })
      .click();
    const modal = page.getByLabel('Search Modal');
    await modal.getByRole('textbox').fill(COLUMN);
    const matched = modal.getByLabel('Matching port or field').first();
    await matched.waitFor();
    expectTrue(
      (await matched.innerText()).includes(`Field ${COLUMN}`),
      `the first data product result names the field ${COLUMN}: "${await matched.innerText()}"`,
    );
    await matched.locator('mark', { hasText: COLUMN }).first().waitFor();

    // The full results, with a word of the description too.
    const searchBar = page.getByRole('textbox', { name: 'Search' });
    await navigate(
      'search page from the search modal',
      () => modal.getByRole('button', { name: /view full results/i }).click(),
      page.getByRole('navigation', { name: 'filter by type' }),
    );
    const term = `${COLUMN} ${WORD}`;
    await searchBar.fill(term);
    const productLink = page.getByRole('link', { name: title, exact: true });
    const item = page.getByRole('listitem').filter({ has: productLink });
    await item.waitFor();
    const itemText = (await item.innerText()).replace(/\s+/g, ' ');
    expectTrue(
      itemText.includes(`Field ${COLUMN}`) && itemText.includes(port.name),
      `${PRODUCT}'s result names ${COLUMN} in ${port.name}: "${itemText}"`,
    );
    await item.locator('mark', { hasText: WORD }).first().waitFor();

    // Only data products, of the product's domain and level.
    await page
      .getByRole('navigation', { name: 'filter by type' })
      .getByRole('button', { name: /Data products/ })
      .click();
    await pickFacet(page, 'Domain', displayName(domain));
    await pickFacet(page, 'Governance level', levelText(level));
    const expected = await searchApi(api, term, {
      domain: `domain:default/${domainName}`,
      governanceLevel: level,
    });
    expectTrue(
      expected.some(r => r.document.name === PRODUCT),
      `the search API finds ${PRODUCT} for "${term}" in its domain and level`,
    );
    await expectShown(
      async () => sorted(await shownTitles(page)),
      sorted(expected.map(r => String(r.document.title))),
      `data product results for "${term}" in domain ${domainName} at level ${level}`,
    );
    for (const shown of await page.getByText(/^Domain: /).all()) {
      expectTrue(
        (await shown.innerText()) === `Domain: ${displayName(domain)}`,
        `every result is in domain ${displayName(domain)}`,
      );
    }
    await item
      .getByLabel(
        level && level !== 'none' ? `Level ${level}` : levelText(level),
        { exact: true },
      )
      .waitFor();

    await checkAccessibility(page, 'the search page with its facets');

    // A picture of the page as a laptop shows it, next to the others.
    await page.setViewportSize(SCREEN);
    // Picking the facets scrolled the page; show it from the search bar.
    await page.evaluate(() => window.scrollTo(0, 0));
    await searchBar.scrollIntoViewIfNeeded();
    const picture = path.join(settings.artifactsDir, '07-search-results.png');
    await page.screenshot({ path: picture, animations: 'disabled' });
    log(`screenshot ${picture}`);

    // Open the product.
    await navigate(
      `${PRODUCT} page from the search results`,
      () => productLink.click(),
      page.getByTestId(`output-port-${port.name}`),
    );
    expectTrue(
      page.url().endsWith(`/catalog/default/dataproduct/${PRODUCT}`),
      `the result leads to ${PRODUCT}; the page is ${page.url()}`,
    );
  },
};
