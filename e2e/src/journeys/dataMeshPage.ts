import { checkAccessibility, checkSkipLink } from '../a11y';
import fs from 'node:fs';
import { displayName } from '../api';
import { expectEqual, expectShown, expectTrue, Journey } from '../harness';
import { card, sidebarLink } from './page';
import { levelText, sorted, tableRows } from './table';

const DOMAIN = 'domain:default/sales';

/** Marks that carry data in the SVG charts: points, lines and bars. */
async function dataMarks(chart: import('playwright-core').Locator) {
  return chart.locator('circle, path[d], rect[height]').evaluateAll(
    marks =>
      marks.filter(mark => {
        const box = (mark as SVGGraphicsElement).getBBox();
        return box.width > 0 || box.height > 0;
      }).length,
  );
}

/**
 * Journey 4: a platform owner opens the Data Mesh page, reads adoption over
 * time, and drills down from the domain heatmap to the products behind a
 * cell, down to one product's page.
 */
export const dataMeshPage: Journey = {
  id: '4',
  title:
    'A platform owner reads adoption on the Data Mesh page and drills down from the heatmap',
  async run({ page, api, navigate, signIn, screenshot }) {
    await signIn();
    const adoption = await api.get('/api/data-mesh/adoption?days=90');
    const latest = adoption.days[adoption.days.length - 1];
    expectTrue(latest, 'the adoption API has at least one day');

    const tiles = page.getByRole('group', { name: 'Data products' });
    await navigate(
      'Data Mesh page from the sidebar',
      () => sidebarLink(page, 'Data Mesh').click(),
      tiles,
    );
    expectEqual(
      (await tiles.innerText()).replace(/\s+/g, ' ').trim(),
      `${latest.products} Data products`,
      'the "Data products" tile',
    );

    // Adoption over time: four charts, each drawn from the API's days.
    const adoptionCard = card(page, 'Adoption over the last 90 days');
    if (adoption.days.length < 2) {
      // A new mesh has one day of history: each chart says so, with what it
      // would show, instead of drawing a lone dot.
      const notes = adoptionCard.getByRole('note');
      await notes.first().waitFor();
      const texts = await notes.allInnerTexts();
      expectEqual(texts.length, 4, 'chart notes on the adoption card');
      expectTrue(
        texts.every(t =>
          t.includes(`One day of history so far (${latest.day})`),
        ),
        `every chart says it has one day of history: ${JSON.stringify(texts)}`,
      );
      expectTrue(
        texts[0].includes(`${latest.products} on ${latest.day}`),
        `the products chart reads ${latest.products} on ${latest.day}: "${texts[0]}"`,
      );
    } else {
      // Four charts, each drawn from the API's days.
      const charts = adoptionCard.getByRole('img');
      await charts.first().waitFor();
      const labels = await charts.evaluateAll(elements =>
        elements.map(element => element.getAttribute('aria-label') ?? ''),
      );
      expectEqual(labels.length, 4, 'charts on the adoption card');
      expectTrue(
        labels[0].includes(`${latest.products} on ${latest.day}`),
        `the products chart reads ${latest.products} on ${latest.day}: "${labels[0]}"`,
      );
      for (let i = 0; i < labels.length; i++) {
        const marks = await dataMarks(charts.nth(i));
        expectTrue(
          marks > 0,
          `chart "${labels[i]}" draws its data (${marks} marks)`,
        );
      }
    }
    await checkAccessibility(page, 'the Data Mesh page');
    const title = await page.title();
    expectTrue(
      /^Data Mesh \| /.test(title),
      `the Data Mesh page's document title names it; it is "${title}"`,
    );
    await screenshot('data mesh page');
    await checkSkipLink(page, 'the Data Mesh page');

    // Heatmap: the domain's row lists its products.
    const { items } = await api.get(
      `/api/data-mesh/scorecards?domain=${encodeURIComponent(
        DOMAIN,
      )}&limit=500`,
    );
    const products = await api.entities('kind=dataproduct');
    const titles = new Map(
      products.map(p => [
        `dataproduct:default/${p.metadata.name}`,
        displayName(p),
      ]),
    );
    const heatmap = page.getByRole('table', {
      name: 'Score per domain and attribute',
    });
    const cell = heatmap.getByRole('button', {
      name: /^sales, understandable: /,
    });
    await cell.click();
    const drillTitle = 'Data products in sales, by understandable';
    const drillDown = page.getByRole('table', { name: drillTitle });
    await drillDown.locator('tbody tr').first().waitFor();
    await page
      .getByRole('heading', { name: `${drillTitle} (${items.length})` })
      .waitFor();
    await expectShown(
      async () =>
        sorted(
          (
            await tableRows(drillDown)
          ).map(([name, , , level, score]) => ({
            name,
            level,
            score,
          })),
        ),
      sorted(
        items.map((item: any) => ({
          name: titles.get(item.entityRef) ?? item.entityRef,
          level: levelText(item.level),
          score: String(Math.round(item.score)),
        })),
      ),
      'the drill-down against the governance API',
    );
    const rows = await tableRows(drillDown);
    // Worst first by the chosen attribute.
    const attributeScores = rows.map(cells => Number(cells[5]));
    expectEqual(
      attributeScores,
      [...attributeScores].sort((a, b) => a - b),
      'drill-down order (understandable score, worst first)',
    );

    // The list downloads as CSV, one line per product after the header.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csv = fs
      .readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expectEqual(csv.length, items.length + 1, 'lines of the downloaded CSV');
    await screenshot('heatmap drill-down');

    // And each product in the list opens its page.
    const [first] = rows;
    await navigate(
      `${first[0]} page from the drill-down`,
      () =>
        drillDown.getByRole('link', { name: first[0], exact: true }).click(),
      card(page, 'Governance scorecard').getByText('Score per attribute'),
    );
    await page
      .getByRole('heading', { name: first[0], exact: true })
      .first()
      .waitFor();
  },
};
