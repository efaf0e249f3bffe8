import { describe, expect, it } from 'vitest';
import { fileNamePart } from '../../../../electron/backend/file-names';

describe('fileNamePart', () => {
  it('keeps lowercase letters and digits, one dash for any run of anything else, none at either end', () => {
    expect(fileNamePart('R-000123')).toBe('r-000123');
    expect(fileNamePart('  Jane  Doe / 2026 ')).toBe('jane-doe-2026');
    expect(fileNamePart('../../etc/passwd')).toBe('etc-passwd');
    expect(fileNamePart('a\u202eexe.gnp\u0000\r\nb')).toBe('a-exe-gnp-b');
    expect(fileNamePart('../..')).toBe('');
  });

  it('cuts at the length without leaving a dash at the end', () => {
    expect(fileNamePart('abc def', 4)).toBe('abc');
    expect(fileNamePart('x'.repeat(100))).toHaveLength(40);
  });
});
