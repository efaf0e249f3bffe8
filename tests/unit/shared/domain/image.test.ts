import { describe, expect, it } from 'vitest';
import { byteSizeText, IMAGE_SNIFF_BYTES, imageTypesText, sniffImageType } from '../../../../shared/domain/image';
import { base64DecodedBytes } from '../../../../shared/ipc/seller-evidence';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const ascii = (text: string): number[] => [...text].map((character) => character.charCodeAt(0));

describe('sniffImageType: what the first bytes say, never the name', () => {
  it.each([
    ['a PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0), 'image/png'],
    ['a JPEG', bytes(0xff, 0xd8, 0xff, 0xe0), 'image/jpeg'],
    ['a WebP', bytes(...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WEBP')), 'image/webp'],
    ['a WAV (RIFF, but not WEBP)', bytes(...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WAVE')), null],
    ['a truncated PNG signature', bytes(0x89, 0x50, 0x4e, 0x47), null],
    ['text', Uint8Array.from(ascii('Tracking: JD014600003SE')), null],
    ['nothing', bytes(), null],
  ])('%s', (_label, input, expected) => {
    expect(sniffImageType(input)).toBe(expected);
    expect(IMAGE_SNIFF_BYTES).toBeGreaterThanOrEqual(12);
  });
});

describe('byteSizeText and imageTypesText: sizes and types as a sentence says them', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [900, '900 bytes'],
    [1536, '1.5 KiB'],
    [10 * 1024 * 1024, '10 MiB'],
    [Math.round(12.3 * 1024 * 1024), '12.3 MiB'],
    [Math.round(10.04 * 1024 * 1024), '10 MiB'],
  ])('%i bytes read "%s"', (size, text) => {
    expect(byteSizeText(size)).toBe(text);
  });

  it('names the types', () => {
    expect(imageTypesText(['image/png', 'image/jpeg', 'image/webp'])).toBe('PNG, JPEG or WebP');
    expect(imageTypesText(['image/jpeg'])).toBe('JPEG');
    expect(imageTypesText(['image/gif', 'image/png'])).toBe('GIF or PNG');
    expect(imageTypesText([])).toBe('no images');
  });

  it('base64DecodedBytes counts the padding', () => {
    for (const size of [0, 1, 2, 3, 4, 5, 1000]) expect(base64DecodedBytes(Buffer.alloc(size).toString('base64'))).toBe(size);
  });
});
