import { checkAccessibility } from '../a11y';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import {
  eventually,
  expectEqual,
  expectShown,
  expectTrue,
  Journey,
  JourneyContext,
} from '../harness';
import { card, selectOption, sidebarLink } from './page';
import { tableRows } from './table';

type Upstream =
  | { source: string; what: string }
  | { dataProduct: string; outputPort: string };

type NewProduct = {
  template: string;
  templateTitle: string;
  name: string;
  description: string;
  domain: string;
  owner: string;
  ownerTitle: string;
  productOwner: string;
  upstream: Upstream;
  port: { name: string; address: string; field: string };
  /** What the review must show for the chosen entities (titles, not refs). */
  review: Array<[string, string]>;
};

/** The review rows every product shows: the form's defaults, in words. */
const DEFAULT_REVIEW: Array<[string, string]> = [
  ['Lifecycle', 'Experimental: consumers should not rely on it yet'],
  ['Freshness', '1 day'],
  ['Classification', 'Internal: every employee'],
  ['Contains personal data', 'No'],
  ['Retention', '1 year'],
];

/**
 * Three products, one per template, each reading the one before: the
 * source-aligned product reads the orders API, the aggregate reads the
 * source-aligned product and the consumer-aligned product the aggregate.
 */
const PRODUCTS: NewProduct[] = [
  {
    template: 'source-aligned-data-product',
    templateTitle: 'Source-aligned data product',
    name: 'refund-events',
    description: 'Every refund issued on an order, from the orders API.',
    domain: 'Sales',
    owner: 'Sales Data',
    ownerTitle: 'Sales Data',
    productOwner: 'Maria Silva',
    upstream: { source: 'orders-api', what: 'Refunds issued on orders' },
    port: {
      name: 'refund-events-table',
      address: 'iceberg://lake/sales/refund_events',
      field: 'refund_id',
    },
    review: [
      ['Domain', 'Sales'],
      ['Owning team', 'Sales Data'],
      ['Product owner', 'Maria Silva'],
    ],
  },
  {
    template: 'aggregate-data-product',
    templateTitle: 'Aggregate data product',
    name: 'daily-refunds',
    description: 'Refunds per day, channel and reason, for sales and finance.',
    domain: 'Sales',
    owner: 'Sales Data',
    ownerTitle: 'Sales Data',
    productOwner: 'Tom Becker',
    upstream: {
      dataProduct: 'refund-events',
      outputPort: 'refund-events-table',
    },
    port: {
      name: 'daily-refunds-table',
      address: 'iceberg://lake/sales/daily_refunds',
      field: 'refund_day',
    },
    review: [
      ['Domain', 'Sales'],
      ['Owning team', 'Sales Data'],
      ['Product owner', 'Tom Becker'],
    ],
  },
  {
    template: 'consumer-aligned-data-product',
    templateTitle: 'Consumer-aligned data product',
    name: 'refund-watchlist',
    description: 'Customers with unusually many refunds, for the fraud team.',
    domain: 'Sales',
    owner: 'Sales Data',
    ownerTitle: 'Sales Data',
    productOwner: 'Aisha Khan',
    upstream: {
      dataProduct: 'daily-refunds',
      outputPort: 'daily-refunds-table',
    },
    port: {
      name: 'refund-watchlist-table',
      address: 'iceberg://lake/sales/refund_watchlist',
      field: 'customer_id',
    },
    review: [
      ['Domain', 'Sales'],
      ['Owning team', 'Sales Data'],
      ['Product owner', 'Aisha Khan'],
    ],
  },
];

async function pick(page: Page, label: string, typed: string, option: string) {
  const field = page.getByRole('textbox', { name: label, exact: true });
  await field.click();
  await field.fill(typed);
  await page.getByRole('option', { name: option, exact: true }).first().click();
}

/** Escapes text for a regular expression. */
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The upstream's output port, chosen from the list the picker reads from the
 * chosen product's output ports; the options start with the port's name and
 * may carry its description.
 */
async function pickPort(page: Page, port: string) {
  const field = page.getByRole('textbox', {
    name: 'Output port read',
    exact: true,
  });
  await eventually(
    'the output port list, once the product is chosen',
    async () => ((await field.isEnabled()) ? true : undefined),
  );
  await field.click();
  const options = page.getByRole('option');
  await options.first().waitFor();
  const names = await options.allInnerTexts();
  expectTrue(
    names.some(name => name.startsWith(port)),
    `the output port list offers ${port}; it lists ${JSON.stringify(names)}`,
  );
  await page
    .getByRole('option', { name: new RegExp(`^${literally(port)}`) })
    .first()
    .click();
  expectEqual(await field.inputValue(), port, 'the chosen output port');
}

/** The review step's rows as [label, value]. */
async function reviewRows(page: Page): Promise<Array<[string, string]>> {
  const rows = page.getByRole('table').first().locator('tr');
  const result: Array<[string, string]> = [];
  for (const row of await rows.all()) {
    const cells = await row.locator('td').allInnerTexts();
    if (cells.length >= 2) result.push([cells[0].trim(), cells[1].trim()]);
  }
  return result;
}

async function fillForm(page: Page, product: NewProduct) {
  const text = (label: string) =>
    page.getByRole('textbox', { name: label, exact: true });
  const next = async (button = 'Next') => {
    await page.getByRole('button', { name: button, exact: true }).click();
  };

  // 1. The data product
  await text('Name').fill(product.name);
  await text('Description').fill(product.description);
  await pick(page, 'Domain', product.domain.toLowerCase(), product.domain);
  await pick(page, 'Owning team', product.owner, product.owner);
  await pick(page, 'Product owner', product.productOwner, product.productOwner);
  // The pickers show the chosen entity's title, not its reference.
  expectEqual(
    await page
      .getByRole('textbox', { name: 'Owning team', exact: true })
      .inputValue(),
    product.ownerTitle,
    'the owning team as the picker shows it',
  );
  await next();

  // 2. Sources or upstream products (one item is there already)
  const upstream = product.upstream;
  // Item headings read naturally, not "Sources-1".
  const heading = 'source' in upstream ? 'Source' : 'Upstream product';
  await page.getByText(heading, { exact: true }).first().waitFor();
  expectTrue(
    !(await page.getByText(/(Sources|Upstream products)-1/).count()),
    'array items are headed without a "-1" suffix',
  );
  if ('source' in upstream) {
    await pick(page, 'Source', upstream.source, upstream.source);
    await text('What is read').fill(upstream.what);
  } else {
    // A product created without a display name goes by its name.
    await pick(
      page,
      'Data product',
      upstream.dataProduct,
      upstream.dataProduct,
    );
    await pickPort(page, upstream.outputPort);
  }
  await next();

  // 3. Output ports: type and format keep their defaults (table, iceberg).
  await text('Port name').fill(product.port.name);
  await text('Address').fill(product.port.address);
  await page.getByRole('button', { name: 'Add Item' }).first().click();
  await text('Field name').fill(product.port.field);
  await text('Meaning').fill(`Identifies the row of ${product.name}`);
  await next();

  // 4. Service levels and protection: the defaults.
  await next('Review');
}

async function createProduct(ctx: JourneyContext, product: NewProduct) {
  const { page, navigate, log } = ctx;
  const started = Date.now();
  const chosen = card(page, product.templateTitle);
  await navigate(
    'template list from the sidebar',
    () => sidebarLink(page, 'Create').click(),
    chosen,
  );
  await navigate(
    `${product.templateTitle} form`,
    () => chosen.getByRole('button', { name: 'Choose' }).click(),
    page.getByRole('textbox', { name: 'Name', exact: true }),
  );
  await checkAccessibility(page, `the ${product.templateTitle} form`);
  await fillForm(page, product);

  const review = page.getByRole('button', { name: 'Create', exact: true });
  await review.waitFor();
  expectTrue(
    (await page.getByRole('table').first().innerText()).includes(product.name),
    'the review lists the product',
  );
  // Titles, durations in words and Yes/No; no references or ISO codes.
  const rows = await reviewRows(page);
  for (const [label, value] of [...product.review, ...DEFAULT_REVIEW]) {
    expectTrue(
      rows.some(([l, v]) => l === label && v === value),
      `the review shows ${label}: ${value}; it shows ${JSON.stringify(rows)}`,
    );
  }
  const shown = rows
    .filter(([label]) => !['Sources', 'Upstream products'].includes(label))
    .map(([, value]) => value)
    .join('\n');
  expectTrue(
    !/\b(domain|group|user):default\/|\bP1D\b|\bP1Y\b/.test(shown),
    `the review shows no references or ISO durations: ${shown}`,
  );
  await navigate(
    `${product.templateTitle} task page`,
    () => review.click(),
    page.getByRole('button', { name: /^Describe the data product/ }),
  );
  // The task publishes the repository and waits until the catalog has the
  // product; the output link appears when every step is done.
  const openLink = page.getByRole('link', { name: 'Open the data product' });
  await openLink.waitFor({ timeout: 90_000 });
  log(
    `${product.name}: task completed in ${Math.round(
      (Date.now() - started) / 1000,
    )} s`,
  );
  await ctx.screenshot(`${product.name} task`);
  return openLink;
}

/**
 * Journey 3: an engineer creates a data product from each of the three
 * templates; each task completes, and each product is in the catalog with
 * its owner and gets a scorecard.
 */
export const createFromTemplates: Journey = {
  id: '3',
  title:
    'An engineer creates a product from each template; each appears with its owner and a scorecard',
  timeoutMs: 240_000,
  // The products exist after a first run, so a second one cannot create them.
  repeatable: false,
  async run(ctx) {
    const { page, api, portal, navigate, signIn, screenshot } = ctx;
    await signIn();

    for (const product of PRODUCTS) {
      const openLink = await createProduct(ctx, product);

      // The product's page: owner in the header, and its scorecard the first
      // time the page is opened, with nobody clicking Evaluate.
      const scorecard = card(page, 'Governance scorecard');
      await navigate(
        `${product.name} page from the task`,
        () => openLink.click(),
        scorecard
          .getByText(/Score per attribute|has not been evaluated yet/)
          .first(),
      );
      await page
        .getByRole('link', { name: product.ownerTitle, exact: true })
        .first()
        .waitFor();
      expectTrue(
        await scorecard.getByText('Score per attribute').isVisible(),
        `${product.name}'s page shows its scorecard when first opened, not "not evaluated yet"`,
      );
      const result = await eventually(
        `${product.name}'s scorecard`,
        async () => {
          const { status, body } = await api.request(
            'GET',
            `/api/data-mesh/scorecards/dataproduct/default/${product.name}`,
          );
          return status === 200 ? body : undefined;
        },
      );
      await scorecard
        .getByText(`Score ${Math.round(result.score)}`)
        .first()
        .waitFor();
      await screenshot(`${product.name} page`);

      // The repository the template published.
      const descriptor = path.join(
        portal.reposDir,
        product.name,
        'catalog-info.yaml',
      );
      expectTrue(fs.existsSync(descriptor), `${descriptor} exists`);
    }

    // All three in the catalog, each with its owner.
    const table = page.getByRole('table').filter({ hasText: 'Lifecycle' });
    await navigate(
      'catalog',
      () => sidebarLink(page, 'Catalog').click(),
      table.locator('tbody tr').first(),
    );
    await selectOption(page, 'Component', 'DataProduct');
    await page
      .getByRole('heading', { name: /^All DataProducts \(\d+\)$/ })
      .first()
      .waitFor();
    // The table's search also matches descriptions: other products that
    // mention refunds are listed too, and only the new ones are compared.
    await page.getByRole('textbox', { name: 'Search' }).fill('refund');
    const header = await table.locator('thead th').allInnerTexts();
    const ownerColumn = header.findIndex(h => /owner/i.test(h));
    const typeColumn = header.findIndex(h => /type/i.test(h));
    await expectShown(
      async () =>
        (
          await tableRows(table)
        )
          .filter(cells => PRODUCTS.some(p => p.name === cells[0]))
          .map(cells => [cells[0], cells[ownerColumn], cells[typeColumn]])
          .sort(),
      PRODUCTS.map(p => [
        p.name,
        p.ownerTitle,
        p.template.replace(/-data-product$/, ''),
      ]).sort(),
      'the new products in the catalog with owner and type',
    );
    await screenshot('new products in the catalog');
  },
};
