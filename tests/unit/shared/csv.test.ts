import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../../shared/csv';

describe('CSV', () => {
  it('quotes fields with commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12.5)).toBe('12.5');
  });

  it('neutralises what a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    for (const start of ['+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1`).replaceAll('"', '').startsWith("'")).toBe(true);
    expect(csvCell(-3)).toBe('-3');
  });

  it('replaces a NUL, which spreadsheets take for the end of the text, with U+FFFD', () => {
    expect(csvCell('a\u0000b')).toBe('a\uFFFDb');
    expect(csvCell('\u0000=1')).toBe('\uFFFD=1');
    expect(toCsv(['x'], [['\u0000']])).not.toContain('\u0000');
  });

  it('writes a BOM, a header and CRLF line ends', () => {
    const csv = toCsv(['a', 'b'], [['1', 'x,y'], [null, 'é']]);
    expect(csv).toBe('\uFEFFa,b\r\n1,"x,y"\r\n,é\r\n');
  });
});
