import { expectTrue, Journey } from '../harness';
import { card, selectOption } from './page';

/** e2e/fixtures/returns-forecast.yaml */
const PRODUCT = 'returns-forecast';
/** examples/data-products/broken-example.yaml: the demo's product broken on purpose. */
const DEMO_BROKEN_TITLE = 'Refunds per Day (broken example)';
/** Declared in e2e/fixtures/returns-ledger.yaml and returns-ledger-copy.yaml. */
const TWICE = 'returns-ledger';

/**
 * Journey 6: the team that registered a product with mistakes finds it among
 * the catalog's entities with errors, and its page names each mistake; a
 * descriptor the catalog refused outright (e2e/fixtures/refused-by-catalog.yaml)
 * is listed with its error on the unprocessed entities page; a product
 * declared in two files warns on its page about the file the catalog ignores.
 */
export const processingErrors: Journey = {
  id: '6',
  title: 'A product with an invalid descriptor shows its processing errors',
  async run({ page, api, open, navigate, signIn, screenshot }) {
    await signIn();

    const entity = await api.entity({ kind: 'dataproduct', name: PRODUCT });
    expectTrue(entity, `${PRODUCT} (a fixture of the suite) is in the catalog`);
    const messages: string[] = (entity.status?.items ?? []).map(
      (item: any) => item.error?.message,
    );
    expectTrue(
      messages.length >= 3,
      `the catalog reports the fixture's three mistakes; it reports ${JSON.stringify(
        messages,
      )}`,
    );

    // The team looks its new product up in the catalog, among the products
    // with processing errors: the catalog's own filter finds it (the table
    // holds every product, so the filter sees them all), next to the demo's
    // product broken on purpose, and no valid product.
    await selectOption(page, 'Component', 'DataProduct');
    const table = page.getByRole('table').filter({ hasText: 'Lifecycle' });
    await table.getByRole('link', { name: 'Ad Spend', exact: true }).waitFor();
    // The catalog's filters label their inputs by wrapping them in a <label>.
    await page
      .locator('label')
      .filter({ hasText: 'Processing Status' })
      .locator('input')
      .click();
    await page.getByRole('option', { name: 'Has Error' }).click();
    await page.keyboard.press('Escape');
    await table
      .getByRole('link', { name: DEMO_BROKEN_TITLE, exact: true })
      .waitFor();
    const withErrors = await table
      .getByRole('row')
      .getByRole('link')
      .allInnerTexts();
    expectTrue(
      withErrors.includes(PRODUCT) &&
        withErrors.includes(DEMO_BROKEN_TITLE) &&
        !withErrors.includes('Ad Spend'),
      `"Has Error" lists ${PRODUCT} and ${DEMO_BROKEN_TITLE} and no valid product; it lists ${JSON.stringify(
        withErrors,
      )}`,
    );
    await screenshot('catalog filtered to products with errors');
    await page.getByRole('textbox', { name: 'Search' }).fill('forecast');
    await table.getByRole('link', { name: PRODUCT, exact: true }).waitFor();

    const errors = page.getByText(messages[0], { exact: false }).first();
    await navigate(
      `${PRODUCT} page from the catalog`,
      () => table.getByRole('link', { name: PRODUCT, exact: true }).click(),
      errors,
    );
    for (const message of messages) {
      await page.getByText(message, { exact: false }).first().waitFor();
    }
    // The rest of the page still renders what the descriptor got right.
    await page.getByRole('table', { name: 'Output ports' }).waitFor();
    await page
      .getByText(`dataproduct://default/${PRODUCT}`, { exact: true })
      .first()
      .waitFor();
    await screenshot('processing errors');
    // The errors and the cards beside them, for the README.
    await screenshot('processing errors top', { maxHeight: 1600 });

    // Refused by the catalog itself (a name with a space): no entity, no
    // page, but listed where the catalog keeps what it could not process.
    // Never processed, it is "pending" there; its errors come with it.
    const pending = await api.get('/api/catalog/entities/unprocessed/pending');
    const refusedEntry = (pending.entities ?? []).find(
      (e: any) => e.unprocessed_entity?.metadata?.name === 'Returns Forecast',
    );
    const refusal = JSON.stringify(refusedEntry?.errors ?? []);
    expectTrue(
      refusedEntry && /metadata\.name/.test(refusal),
      `the unprocessed entities API lists the refused fixture with an error naming metadata.name; it lists ${JSON.stringify(
        (pending.entities ?? []).map((e: any) => [
          e.unprocessed_entity?.metadata?.name,
          e.errors,
        ]),
      )}`,
    );
    await open(
      '/catalog-unprocessed-entities',
      page.getByRole('tab', { name: 'Pending' }),
      'unprocessed entities',
    );
    await page.getByRole('tab', { name: 'Pending' }).click();
    await page
      .getByRole('row')
      .filter({ hasText: 'DataProduct' })
      .filter({ hasText: 'group:default/sales-data' })
      .first()
      .waitFor();
    await screenshot('descriptor refused by the catalog');

    // The Data Mesh page lists it by the team the file names, with the reason.
    const failed = page.getByRole('region', {
      name: 'Failed descriptors of group:default/sales-data',
    });
    await open('/data-mesh', failed, 'Data Mesh page');
    const failedText = (await failed.innerText()).replace(/\s+/g, ' ');
    expectTrue(
      /Returns Forecast in file:.*refused-by-catalog\.yaml: .*metadata\.name/.test(
        failedText,
      ),
      `the Data Mesh page lists the refused descriptor with its location and reason; it shows "${failedText}"`,
    );
    await screenshot('descriptors that failed to load', {
      target: card(page, 'Descriptors that failed to load'),
    });

    // Declared in two files: the catalog serves whichever it read first.
    // The product's page names the other one, which the catalog ignores.
    const twice = await api.entity({ kind: 'dataproduct', name: TWICE });
    const served: string =
      twice?.metadata?.annotations?.['backstage.io/managed-by-location'] ?? '';
    expectTrue(
      /returns-ledger(-copy)?\.yaml$/.test(served),
      `${TWICE} is served from one of its two fixture files; it is served from "${served}"`,
    );
    const ignored = served.endsWith('-copy.yaml')
      ? 'returns-ledger.yaml'
      : 'returns-ledger-copy.yaml';
    const warning = page.getByRole('note', {
      name: 'Declared in more than one file',
    });
    await open(
      `/catalog/default/dataproduct/${TWICE}`,
      warning,
      `${TWICE} page`,
    );
    const warningText = (await warning.innerText()).replace(/\s+/g, ' ');
    expectTrue(
      warningText.includes('Also declared in file:') &&
        warningText.includes(ignored) &&
        warningText.includes('the catalog ignores that file'),
      `the page of ${TWICE} names ${ignored} as the file the catalog ignores; it shows "${warningText}"`,
    );
    await screenshot('product declared twice', { maxHeight: 1200 });

    // And the Data Mesh page lists the ignored file beside the refused one.
    await open('/data-mesh', failed, 'Data Mesh page again');
    const listed = (await failed.innerText()).replace(/\s+/g, ' ');
    expectTrue(
      listed.includes(`${TWICE} in file:`) &&
        listed.includes(ignored) &&
        listed.includes('the catalog ignores this file'),
      `the Data Mesh page lists the file the catalog ignores for ${TWICE}; it shows "${listed}"`,
    );
  },
};
