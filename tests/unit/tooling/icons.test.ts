import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateIcons, LINUX_ICON_SIZES } from '../../../scripts/icons';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('icons from the one SVG', () => {
  it('renders every size the installers need, and valid ICO and ICNS files', async () => {
    const out = await mkdtemp(join(tmpdir(), 'desk-icons-'));
    const files = await generateIcons('build/icon.svg', out);
    expect(files).toHaveLength(LINUX_ICON_SIZES.length + 3);

    expect(pngSize(await readFile(join(out, 'icon.png')))).toEqual({ width: 1024, height: 1024 });
    for (const size of LINUX_ICON_SIZES) {
      expect(pngSize(await readFile(join(out, 'icons', `${size}x${size}.png`)))).toEqual({ width: size, height: size });
    }

    const ico = await readFile(join(out, 'icon.ico'));
    // ICONDIR: reserved 0, type 1 (icon), then the number of images; the largest is 256 px (stored as 0).
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    expect(count).toBeGreaterThanOrEqual(4);
    const widths = Array.from({ length: count }, (_, index) => ico[6 + index * 16] ?? -1);
    expect(widths).toContain(0);
    expect(widths).toContain(16);

    const icns = await readFile(join(out, 'icon.icns'));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    // ic10 is the 1024 px (512@2x) image macOS uses for Retina.
    expect(icns.includes(Buffer.from('ic10'))).toBe(true);
  }, 60_000);
});
