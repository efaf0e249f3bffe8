/**
 * CSV for spreadsheets: RFC 4180 (CRLF line ends, fields quoted when needed, quotes doubled),
 * UTF-8 with a byte-order mark so spreadsheet apps read accents right, and formula injection
 * neutralised: a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed
 * with an apostrophe, so `=HYPERLINK(...)` in a buyer's name stays text. A NUL, which
 * spreadsheet apps and many tools take for the end of the text or of the file, becomes U+FFFD.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvCell = string | number | boolean | null | undefined;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value.replaceAll('\u0000', '\uFFFD') : String(value);
  // Numbers we write ourselves (e.g. -12.50) are data, not formulas; text from outside is not trusted.
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV document: header row first, BOM included. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(csvCell).join(','), ...rows.map((row) => row.map(csvCell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
