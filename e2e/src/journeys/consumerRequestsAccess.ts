import { checkAccessibility } from '../a11y';
import { expectEqual, expectTrue, Journey } from '../harness';
import { card } from './page';

/** A restricted port holding personal data. */
const PRODUCT = 'customers';
const PRODUCT_REF = `dataproduct:default/${PRODUCT}`;
const PORT = 'customers-table';
/**
 * A product of the guest's team (app-config.yaml gives the guest the
 * ownership of marketing-analytics) that declares no input from customers,
 * so only the grant connects them.
 */
const CONSUMER = 'marketing-attribution';
const CONSUMER_REF = `dataproduct:default/${CONSUMER}`;
const PURPOSE =
  'Attribute campaign conversions to customer segments by country';

/**
 * 90 days after the backend's today, from the Date header it answers with:
 * end dates are the backend's days, and its clock may differ from the
 * browser's (CI runs the portal a year ahead).
 */
async function endDateOnBackend(backendUrl: string): Promise<string> {
  const response = await fetch(backendUrl);
  const now = Date.parse(response.headers.get('date') ?? '');
  expectTrue(!Number.isNaN(now), 'the backend answers with a Date header');
  return new Date(now + 90 * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Journey 9: a consumer asks for access to a restricted port with personal
 * data for a product of their team; the classification is shown before they
 * send it; an owner approves it from the inbox; the product's Access tab
 * lists the grant and its lineage shows the consumer edge. The grant is
 * revoked at the end, so the journey can run again.
 */
export const consumerRequestsAccess: Journey = {
  id: '9',
  title:
    'A consumer requests access to a restricted port, an owner approves it from the inbox, and the grant shows on the product and in lineage',
  async run({ page, api, portal, open, signIn, screenshot }) {
    await signIn();
    const ports = await api.get(
      `/api/data-mesh/access/ports/default/${PRODUCT}`,
    );
    const port = ports.ports.find((p: any) => p.port === PORT);
    expectEqual(
      [port?.classification, port?.containsPii, port?.autoApproved],
      ['restricted', true, false],
      `${PORT}: classification, personal data, approved at once`,
    );
    // A grant left by an earlier run would make the request a 409.
    const open0 = await api.get(
      `/api/data-mesh/access/requests?entityRef=${encodeURIComponent(
        PRODUCT_REF,
      )}&consumer=${encodeURIComponent(CONSUMER_REF)}&status=pending,approved`,
    );
    expectEqual(open0.items.length, 0, 'open requests before the journey');

    const request = page.getByRole('button', {
      name: `Request access to ${PORT}`,
    });
    await open(
      `/catalog/default/dataproduct/${PRODUCT}/access`,
      request,
      `the Access tab of ${PRODUCT}`,
    );
    const sensitivity = await page
      .getByRole('region', { name: `Sensitivity of ${PORT}` })
      .innerText();
    expectTrue(
      /restricted/i.test(sensitivity) &&
        sensitivity.includes('Contains personal data'),
      `the port's sensitivity is shown before requesting: "${sensitivity}"`,
    );
    await request.click();
    const form = page.getByRole('form', { name: `Request access to ${PORT}` });
    await form.getByLabel('For').selectOption(CONSUMER_REF);
    await form.getByLabel('Purpose').fill(PURPOSE);
    await form
      .getByLabel('Last day of access')
      .fill(await endDateOnBackend(portal.backendUrl));
    const formText = await form.innerText();
    expectTrue(
      /owner must approve/i.test(formText),
      `the form says an owner must approve restricted personal data: "${formText}"`,
    );
    await checkAccessibility(page, `the access request form of ${PORT}`);
    await screenshot('access request form', { maxHeight: 900 });
    await form.getByRole('button', { name: 'Send the request' }).click();
    const sent = page.getByRole('status').filter({ hasText: 'Request sent' });
    await sent.waitFor();

    // The owner's inbox: the Access requests tab of the Data Mesh page.
    const inbox = page.getByRole('table', {
      name: 'Access requests waiting for your decision',
    });
    await open('/data-mesh/access', inbox, 'the access inbox');
    const row = inbox.getByRole('row').filter({ hasText: PURPOSE });
    expectEqual(await row.count(), 1, 'the request in the inbox');
    const rowText = await row.innerText();
    expectTrue(
      rowText.includes(PORT) && rowText.includes('Contains personal data'),
      `the inbox row names the port and its sensitivity: "${rowText}"`,
    );
    await checkAccessibility(page, 'the access inbox');
    await screenshot('access inbox', {
      target: card(page, 'Waiting for your decision'),
    });
    await row.getByRole('button', { name: /^Approve the access of / }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Approved: ${CONSUMER} may read ${PORT}` })
      .waitFor();

    // The grant on the product: who consumes it, for what, until when.
    const grants = page.getByRole('table', { name: 'Grants' });
    await open(
      `/catalog/default/dataproduct/${PRODUCT}/access`,
      grants,
      `the Access tab of ${PRODUCT} after the approval`,
    );
    const grant = grants.getByRole('row').filter({ hasText: PURPOSE });
    expectEqual(await grant.count(), 1, 'the grant listed on the product');
    await screenshot('access grant', {
      target: card(page, 'Who consumes this'),
    });

    // Lineage: the consumer edge, drawn as a grant.
    await open(
      `/catalog/default/dataproduct/${PRODUCT}`,
      page.getByTestId(`node ${PRODUCT_REF}`),
      `the page of ${PRODUCT} with its lineage`,
    );
    const edge = page.getByTestId(`edge ${PRODUCT_REF} ${CONSUMER_REF}`);
    await edge.waitFor();
    expectEqual(
      await edge.getAttribute('data-state'),
      'granted',
      `the lineage edge from ${PRODUCT} to ${CONSUMER}`,
    );
    await screenshot('lineage with an access grant', {
      target: card(page, 'Lineage'),
    });

    // Revoked, so that the journey can run again in this portal.
    const stored = await api.get(
      `/api/data-mesh/access/requests?entityRef=${encodeURIComponent(
        PRODUCT_REF,
      )}&consumer=${encodeURIComponent(CONSUMER_REF)}&status=approved`,
    );
    expectEqual(stored.items.length, 1, 'the approved request');
    const revoked = await api.request(
      'POST',
      `/api/data-mesh/access/requests/${stored.items[0].id}/revoke`,
      { reason: 'End of the journey: the access was for the demo only' },
    );
    expectEqual(revoked.status, 200, 'revoking the grant at the end');
  },
};
