import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** WCAG 2.1 A and AA, the level public-sector and most company policies ask for. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Violations in Backstage's own components, which Quanta cannot fix; each
 * names the rule, how to recognise the element and why it is left. Nothing
 * of Quanta's may be listed here.
 */
const UPSTREAM: Array<{ rule: string; html: RegExp; why: string }> = [
  {
    rule: 'aria-valid-attr-value',
    html: /^<a class="bui-Tab\b[^>]*role="tab"/,
    why: "@backstage/ui's header tabs (scaffolder page) point aria-controls at a tab panel that is not rendered",
  },
  {
    rule: 'listitem',
    html: /^<li class="MuiListItem-root[^"]*MuiListItem-divider/,
    why: "@backstage/plugin-search-react wraps every search result in a divider ListItem (<li>) that the search page's results container does not put in a list",
  },
];

/**
 * axe-core's run, again when the page replaced its document meanwhile (the
 * scaffolder rewrites a form's address as it settles).
 */
async function analyze(page: Page) {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.waitForLoadState('load');
      return await new AxeBuilder({ page }).withTags(TAGS).analyze();
    } catch (error) {
      if (attempt >= 3 || !/context was destroyed/.test(String(error))) {
        throw error;
      }
    }
  }
}

/**
 * Runs axe-core on the page as it is now and fails on serious and critical
 * violations, naming each rule, how many elements break it and the first few
 * of them, so that the failure says what to fix.
 */
export async function checkAccessibility(page: Page, what: string) {
  const results = await analyze(page);
  const blocking = results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({
      ...v,
      nodes: v.nodes.filter(
        n => !UPSTREAM.some(u => u.rule === v.id && u.html.test(n.html)),
      ),
    }))
    .filter(v => v.nodes.length > 0);
  if (blocking.length === 0) return;
  const lines = blocking.map(
    v =>
      `- ${v.id} (${v.impact}): ${v.help}; ${
        v.nodes.length
      } element(s), e.g.\n${v.nodes
        .slice(0, 3)
        .map(
          n =>
            `    ${n.target.join(' ')}: ${n.html.slice(0, 240)}${
              // axe's own account, such as the colours and the ratio found.
              n.failureSummary
                ? `\n      ${n.failureSummary
                    .replace(/\s+/g, ' ')
                    .slice(0, 300)}`
                : ''
            }`,
        )
        .join('\n')}`,
  );
  throw new Error(
    `${what}: ${
      blocking.length
    } serious or critical accessibility violation(s) (axe-core, WCAG 2.1 AA):\n${lines.join(
      '\n',
    )}`,
  );
}

/**
 * A keyboard user's first key on a page: Tab lands on a visible "Skip to
 * content" link with a focus outline, and Enter moves the focus into the
 * page's main landmark, past the sidebar.
 */
export async function checkSkipLink(page: Page, what: string) {
  // The browser tabs on from wherever focus last was: start from a freshly
  // loaded page, as a keyboard user arriving on it does.
  await page.reload();
  await page
    .getByRole('link', { name: 'Skip to content' })
    .waitFor({ state: 'attached' });
  await page.getByRole('main').first().waitFor();
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return undefined;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return {
      text: el.textContent?.trim(),
      visible:
        box.width > 0 &&
        box.height > 0 &&
        box.top >= 0 &&
        box.bottom <= window.innerHeight,
      outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
    };
  });
  if (first?.text !== 'Skip to content' || !first.visible || !first.outline) {
    throw new Error(
      `${what}: the first Tab should land on a visible, outlined "Skip to content" link; it landed on ${JSON.stringify(
        first,
      )}`,
    );
  }
  await page.keyboard.press('Enter');
  const inMain = await page.evaluate(() => {
    const el = document.activeElement;
    return Boolean(el?.closest('main, [role="main"]') || el?.tagName === 'H1');
  });
  if (!inMain) {
    throw new Error(
      `${what}: "Skip to content" should move the focus into the main landmark`,
    );
  }
}
