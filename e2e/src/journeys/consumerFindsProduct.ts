import { checkAccessibility, checkSkipLink } from '../a11y';
import { displayName } from '../api';
import { expectEqual, expectShown, expectTrue, Journey } from '../harness';
import { card, selectOption } from './page';
import { levelText, sorted, tableRows } from './table';

const DOMAIN = 'customer';
const PRODUCT = 'customer-360';

/** `sales`, `domain:sales` and `domain:default/sales` name the same domain. */
function domainName(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  return ref.replace(/^domain:/i, '').replace(/^default\//, '');
}

/**
 * Journey 2: a data consumer narrows the catalog to the data products of one
 * domain, opens one, reads where and under which contract to consume it,
 * where its data comes from, how trustworthy it is and how it scores, and
 * follows an upstream node of the lineage card to the product it reads from.
 */
export const consumerFindsProduct: Journey = {
  id: '2',
  title:
    'A consumer filters the catalog by domain, reads ports, contracts, lineage, quality and scorecard, and follows an upstream node',
  async run({ page, api, navigate, signIn, screenshot }) {
    await signIn();

    const all = await api.entities('kind=dataproduct');
    const inDomain = all.filter(e => domainName(e.spec?.domain) === DOMAIN);
    const product = all.find(e => e.metadata.name === PRODUCT);
    expectTrue(product, `${PRODUCT} is in the catalog`);

    // Filter the catalog: kind, then the data mesh domain filter.
    await selectOption(page, 'Component', 'DataProduct');
    await page
      .getByRole('heading', { name: /^All DataProducts \(\d+\)$/ })
      .first()
      .waitFor();
    await page.getByRole('textbox', { name: 'Domain' }).click();
    await page
      .getByRole('option', { name: new RegExp(`^${DOMAIN}\\b`) })
      .click();
    await page.keyboard.press('Escape');
    await page
      .getByRole('heading', {
        name: `All DataProducts (${inDomain.length})`,
      })
      .first()
      .waitFor();
    const table = page.getByRole('table').filter({ hasText: 'Lifecycle' });
    await expectShown(
      async () => sorted((await tableRows(table)).map(cells => cells[0])),
      sorted(inDomain.map(displayName)),
      `the catalog filtered to domain ${DOMAIN}`,
    );

    // Open the product.
    const outputPorts = page.getByRole('table', { name: 'Output ports' });
    await navigate(
      `${PRODUCT} page from the catalog`,
      () =>
        table
          .getByRole('link', { name: displayName(product), exact: true })
          .click(),
      outputPorts,
    );

    // Output ports: where to read and under which contract.
    for (const port of product.spec.outputPorts) {
      const row = outputPorts.getByTestId(`output-port-${port.name}`);
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      for (const expected of [
        port.name,
        port.type,
        port.format,
        port.address,
        port.contract?.location,
        port.contract?.version && `version ${port.contract.version}`,
      ].filter(Boolean)) {
        expectTrue(
          text.includes(expected),
          `output port ${port.name} shows "${expected}"; it shows "${text}"`,
        );
      }
    }
    // Input ports: what it reads, linking to each upstream product.
    const inputPorts = page.getByRole('table', { name: 'Input ports' });
    const upstreams = [];
    for (const port of product.spec.inputPorts) {
      const upstreamName = String(port.dataProduct).split('/').pop()!;
      const upstream = all.find(e => e.metadata.name === upstreamName);
      expectTrue(upstream, `upstream ${port.dataProduct} is in the catalog`);
      const row = inputPorts.getByTestId(`input-port-${port.name}`);
      await row
        .getByRole('link', { name: displayName(upstream), exact: true })
        .waitFor();
      expectTrue(
        (await row.innerText()).includes(`output port ${port.outputPort}`),
        `input port ${port.name} names output port ${port.outputPort}`,
      );
      upstreams.push({ port, upstream });
    }

    // The global address and the scorecard.
    await page
      .getByText(`dataproduct://default/${PRODUCT}`, { exact: true })
      .first()
      .waitFor();
    const scorecard = await api.get(
      `/api/data-mesh/scorecards/dataproduct/default/${PRODUCT}`,
    );
    const scoreCard = card(page, 'Governance scorecard');
    await scoreCard
      .getByLabel(
        scorecard.level && scorecard.level !== 'none'
          ? `Level ${scorecard.level}`
          : levelText(scorecard.level),
        { exact: true },
      )
      .waitFor();
    await scoreCard
      .getByText(`Score ${Math.round(scorecard.score)}`)
      .first()
      .waitFor();
    await scoreCard.getByText('Score per attribute').waitFor();
    // The relations graph draws the upstream products too.
    const relations = card(page, 'Relations');
    for (const { upstream } of upstreams) {
      await relations
        .getByText(displayName(upstream), { exact: true })
        .first()
        .waitFor();
    }

    // The lineage card draws each upstream the product declares, as the
    // lineage API answers it.
    const lineageApi = await api.get(
      `/api/data-mesh/lineage/dataproduct/default/${PRODUCT}`,
    );
    const lineage = card(page, 'Lineage');
    for (const { upstream } of upstreams) {
      const ref = `dataproduct:default/${upstream.metadata.name}`;
      expectTrue(
        lineageApi.edges.some(
          (e: any) =>
            e.from === ref &&
            e.to === `dataproduct:default/${PRODUCT}` &&
            e.declared,
        ),
        `the lineage API has the declared edge ${ref} -> ${PRODUCT}`,
      );
      const node = lineage.getByTestId(`node ${ref}`);
      await node.waitFor();
      const label = await node.getAttribute('aria-label');
      expectTrue(
        label?.includes(displayName(upstream)),
        `the lineage node of ${ref} is labelled "${label}"`,
      );
    }

    // The quality card says what the quality API knows: each declared SLO
    // gets a chip, and without results it says so instead of looking healthy.
    const qualityApi = await api.get(
      `/api/data-mesh/quality/dataproduct/default/${PRODUCT}`,
    );
    const quality = card(page, 'Data quality');
    const chips = quality.getByRole('list', { name: 'SLO status' });
    await chips.waitFor();
    expectEqual(
      await chips.getByRole('listitem').count(),
      qualityApi.slos.length,
      'SLO chips on the quality card',
    );
    if (!qualityApi.hasResults) {
      await quality.getByText('No quality results yet').waitFor();
    } else {
      await quality.getByRole('group', { name: 'Latest run' }).waitFor();
    }
    await checkAccessibility(page, `the ${PRODUCT} page`);
    const title = await page.title();
    expectTrue(
      title.startsWith('Customer 360 | '),
      `the product page's document title names the product; it is "${title}"`,
    );
    await screenshot('data product page');
    await checkSkipLink(page, `the ${PRODUCT} page`);

    // The Lineage tab: the graph keeps its labels legible (at least 11 px
    // as drawn, whatever the graph's size) and pans instead of shrinking.
    // The entity page's tabs are links, one route each.
    await page.getByRole('link', { name: 'Lineage', exact: true }).click();
    const tabGraph = page.locator('[data-testid^="node "]').first();
    await tabGraph.waitFor();
    const smallest = await page.evaluate(() => {
      const sizes = [...document.querySelectorAll('svg text')]
        .filter(t => (t as SVGGraphicsElement).getBBox().width > 0)
        .map(t => {
          const matrix = (t as SVGGraphicsElement).getScreenCTM();
          const scale = matrix ? Math.hypot(matrix.a, matrix.b) : 1;
          return parseFloat(getComputedStyle(t).fontSize) * scale;
        });
      return sizes.length ? Math.min(...sizes) : undefined;
    });
    expectTrue(
      smallest !== undefined && smallest >= 11,
      `every lineage label on the Lineage tab is drawn at 11 px or more; the smallest is ${smallest} px`,
    );
    // Five columns need the page's width: the details panel moves below
    // the graph instead of taking width from it.
    const panelBelow = await page.evaluate(() => {
      const panel = document.querySelector(
        '[data-testid="lineage-details-panel"]',
      );
      const graph = panel?.previousElementSibling;
      if (!panel || !graph) return undefined;
      return (
        panel.getBoundingClientRect().top >=
        graph.getBoundingClientRect().bottom - 1
      );
    });
    expectTrue(
      panelBelow,
      `the Lineage tab shows the details panel below the wide graph (${panelBelow})`,
    );
    await screenshot('lineage tab');
    await page.getByRole('link', { name: 'Overview', exact: true }).click();

    // Follow the first upstream from its node on the lineage card.
    const [{ port, upstream }] = upstreams;
    await navigate(
      `upstream ${upstream.metadata.name} from the lineage card`,
      () =>
        lineage
          .getByTestId(`node dataproduct:default/${upstream.metadata.name}`)
          .click(),
      page.getByTestId(`output-port-${port.outputPort}`),
    );
    expectTrue(
      page
        .url()
        .endsWith(`/catalog/default/dataproduct/${upstream.metadata.name}`),
      `the node leads to ${upstream.metadata.name}; the page is ${page.url()}`,
    );
    await page
      .getByRole('heading', { name: displayName(upstream), exact: true })
      .first()
      .waitFor();
    await screenshot('upstream product');
  },
};
