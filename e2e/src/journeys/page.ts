import type { Locator, Page } from 'playwright-core';

/**
 * A card by its title: the plugins' InfoCards and the template cards are
 * Material UI cards, the catalog's own entity cards Backstage UI cards.
 */
export function card(page: Page, title: string): Locator {
  return page
    .locator('.MuiCard-root, .bui-Card')
    .filter({ has: page.getByText(title, { exact: true }) })
    .last();
}

/** Picks an option of one of the catalog's kind or type selects. */
export async function selectOption(
  page: Page,
  current: string,
  option: string,
) {
  await page.getByRole('button', { name: current, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

export function sidebarLink(page: Page, name: string): Locator {
  return page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name, exact: true });
}
