export type CsvValue = string | number | boolean | undefined | null;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
 * break, with quotes doubled. Fields that a spreadsheet would run as a formula
 * get a leading apostrophe.
 */
export function csvField(value: CsvValue): string {
  if (value === undefined || value === null) {
    return '';
  }
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to CSV text, CRLF line ends as RFC 4180 asks. */
export function toCsv(rows: CsvValue[][]): string {
  return rows.map(row => row.map(csvField).join(',')).join('\r\n');
}

/**
 * Hands CSV text to the browser as a file download, through an object URL
 * that is released right after the click.
 */
export function downloadCsv(filename: string, csv: string): void {
  // The byte order mark makes spreadsheet apps read the file as UTF-8.
  const blob = new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
