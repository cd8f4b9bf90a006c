/*
 * The browser check of the stock portal with Quanta: a DataProduct page shows
 * the ports, scorecard, lineage and quality cards; /data-mesh renders; a
 * template creates a product that then appears in the catalog.
 *
 * PORTAL_URL: where the backend serves the built app. ARTIFACTS: where to
 * write a screenshot of the page a check failed on.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const URL = process.env.PORTAL_URL;
const ARTIFACTS = process.env.ARTIFACTS ?? '/tmp';
const PRODUCT = 'customers'; // examples/data-products/customer.yaml
// A name no earlier run used: the database is new, but the check must not
// find a product some other run published.
const NEW_PRODUCT = `refund-events-${Date.now().toString(36)}`;

function card(page, title) {
  return (
    page
      // Under a nested theme (the legacy app) MUI numbers its class names:
      // MuiCard-root-955.
      .locator('[class*="MuiCard-root"], .bui-Card')
      .filter({ has: page.getByText(title, { exact: true }) })
      .last()
  );
}

/**
 * Opens a route and signs in as guest when asked: a button in the new
 * frontend system, automatic in legacy. `ready` is what the page shows once
 * open; waiting for it or the button (whichever comes first) costs nothing
 * when the session is already signed in. An entity page the catalog has not
 * ingested yet says "Entity not found" and never looks again, so it is
 * reloaded, as a person would, until the entity is there.
 */
async function open(page, route, ready) {
  const enter = page.getByRole('button', { name: 'Enter' });
  // "Entity not found" in the new frontend system, "Warning: Entity not found" in legacy.
  const notFound = page.getByText(/Entity not found/);
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    await page.goto(`${URL}${route}`, { waitUntil: 'commit' });
    await enter.or(ready).or(notFound).first().waitFor();
    if (await enter.isVisible().catch(() => false)) await enter.click();
    await ready.or(notFound).first().waitFor();
    if (!(await notFound.isVisible().catch(() => false))) return;
    if (Date.now() > deadline)
      throw new Error(
        `${route}: the catalog still has no such entity after 5 minutes`,
      );
    await page.waitForTimeout(3000);
  }
}

async function check(page, name, fn) {
  const started = Date.now();
  try {
    await fn();
    console.log(
      `  ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  } catch (error) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, `${name.replace(/\W+/g, '-')}.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    console.error(
      `  FAIL ${name}: ${error.message.split('\n')[0]} (screenshot ${shot})`,
    );
    throw error;
  }
}

async function pick(page, label, typed, option) {
  const field = page.getByRole('textbox', { name: label, exact: true });
  await field.click();
  await field.fill(typed);
  await page.getByRole('option', { name: option, exact: true }).first().click();
}

async function main() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({
    viewport: { width: 1440, height: 1000 },
  });
  // Generous: a cold catalog on a busy 2-core machine.
  page.setDefaultTimeout(60_000);
  try {
    await check(
      page,
      'DataProduct page shows ports, scorecard, lineage and quality',
      async () => {
        await open(
          page,
          `/catalog/default/dataproduct/${PRODUCT}`,
          card(page, 'Ports'),
        );
        for (const title of [
          'Ports',
          'Governance scorecard',
          'Lineage',
          'Data quality',
        ])
          await card(page, title).waitFor({ state: 'visible' });
        // The scorecard and ports have content, not only a title.
        await card(page, 'Ports').getByText('Output ports').first().waitFor();
      },
    );

    await check(page, '/data-mesh renders', async () => {
      await open(
        page,
        '/data-mesh',
        page.getByText(/The mesh today|No evaluation yet/),
      );
    });

    await check(
      page,
      'a template creates a product that appears in the catalog',
      async () => {
        const text = label =>
          page.getByRole('textbox', { name: label, exact: true });
        await open(
          page,
          '/create/templates/default/source-aligned-data-product',
          text('Name'),
        );
        const next = (name = 'Next') =>
          page.getByRole('button', { name, exact: true }).click();
        await text('Name').fill(NEW_PRODUCT);
        await text('Description').fill(
          'Every refund issued on an order, from the orders API.',
        );
        await pick(page, 'Domain', 'sales', 'Sales');
        await pick(page, 'Owning team', 'Sales Data', 'Sales Data');
        await pick(page, 'Product owner', 'Maria Silva', 'Maria Silva');
        await next();
        await pick(page, 'Source', 'orders-api', 'orders-api');
        await text('What is read').fill('Refunds issued on orders');
        await next();
        await text('Port name').fill(`${NEW_PRODUCT}-table`);
        await text('Address').fill(
          `iceberg://lake/sales/${NEW_PRODUCT.replace(/-/g, '_')}`,
        );
        await page.getByRole('button', { name: 'Add Item' }).first().click();
        await text('Field name').fill('refund_id');
        await text('Meaning').fill('Identifies the refund');
        await next();
        await next('Review');
        await page.getByRole('button', { name: 'Create', exact: true }).click();
        // The task publishes the repository and registers it with the catalog.
        await page
          .getByRole('link', { name: 'Open the data product' })
          .waitFor({ timeout: 180_000 });
        await open(
          page,
          `/catalog/default/dataproduct/${NEW_PRODUCT}`,
          card(page, 'Ports').getByText(`${NEW_PRODUCT}-table`),
        );
      },
    );
  } finally {
    await browser.close();
  }
}

main().catch(() => process.exit(1));
