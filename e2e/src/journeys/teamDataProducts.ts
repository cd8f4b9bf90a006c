import { checkAccessibility } from '../a11y';
import { displayName } from '../api';
import { expectShown, expectTrue, Journey } from '../harness';
import { card as cardByTitle, selectOption } from './page';
import { levelText, sorted, tableRows } from './table';

const TEAM = 'group:default/sales-data';

/**
 * Journey 1: a member of Sales Data opens the team's page and finds every
 * data product the team owns, each with the level and score the governance
 * backend gave it.
 */
export const teamDataProducts: Journey = {
  id: '1',
  title: 'A team member sees the data products their team owns, with levels',
  async run({ page, api, navigate, signIn, screenshot }) {
    await signIn();

    const owned = await api.entities(
      `kind=dataproduct,relations.ownedBy=${TEAM}`,
    );
    const { items } = await api.get(
      `/api/data-mesh/scorecards?owner=${encodeURIComponent(TEAM)}&limit=500`,
    );
    const names = new Map<string, string>(
      owned.map(entity => [
        `dataproduct:default/${entity.metadata.name}`,
        displayName(entity),
      ]),
    );

    // From the catalog: the kind Group, then the team.
    await selectOption(page, 'Component', 'Group');
    const teams = page.getByRole('table').filter({ hasText: 'Sales Data' });
    const card = page.getByRole('table', {
      name: 'Data products of this team',
    });
    await navigate(
      'Sales Data group page from the catalog',
      () =>
        teams.getByRole('link', { name: 'Sales Data', exact: true }).click(),
      card.locator('tbody tr').first(),
    );
    await page.getByRole('heading', { name: 'Sales Data' }).first().waitFor();

    const shown = async () =>
      (await tableRows(card)).map(([name, level, score]) => ({
        name,
        level,
        score,
      }));
    await expectShown(
      async () => sorted((await shown()).map(row => row.name)),
      sorted(owned.map(displayName)),
      "the team card's data products against the catalog's products owned by Sales Data",
    );
    await expectShown(
      async () => sorted(await shown()),
      sorted(
        items.map((item: any) => ({
          name: names.get(item.entityRef) ?? item.entityRef,
          level: levelText(item.level),
          score: String(Math.round(item.score)),
        })),
      ),
      "the team card's levels and scores against the governance API",
    );

    // The team's data products are near the top of its page, seen without
    // scrolling at 1440×900, not below the org plugin's cards.
    const top = await cardByTitle(page, 'Data products and their levels')
      .boundingBox()
      .then(box => box?.y);
    expectTrue(
      top !== undefined && top < 900,
      `the team's data products card starts within the first screen (at ${top} px)`,
    );

    await checkAccessibility(page, 'the Sales Data team page');
    await screenshot('team data products');
    await screenshot('team card', {
      target: cardByTitle(page, 'Data products and their levels'),
    });
  },
};
