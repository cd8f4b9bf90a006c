import type { Locator } from 'playwright-core';

/** The text of each body cell of a table, row by row. */
export async function tableRows(table: Locator): Promise<string[][]> {
  return table
    .locator('tbody tr')
    .evaluateAll(rows =>
      rows.map(row =>
        Array.from((row as HTMLTableRowElement).cells).map(cell =>
          (cell as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
        ),
      ),
    );
}

/** The level as the badge says it: "Gold", or "No level yet". */
export function levelText(level: string | undefined | null): string {
  return level && level !== 'none' ? level : 'No level yet';
}

export function sorted<T>(items: T[]): T[] {
  return [...items].sort((a, b) =>
    JSON.stringify(a).localeCompare(JSON.stringify(b)),
  );
}
