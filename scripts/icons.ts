/**
 * `npm run icons`: every icon the installers need, rendered from the one source, build/icon.svg.
 *   build/icon.png          1024 px (electron-builder's fallback for every platform)
 *   build/icons/<N>x<N>.png Linux (AppImage, deb) at the sizes desktop environments look for
 *   build/icon.ico          Windows (nsis, the .exe), 16-256 px
 *   build/icon.icns         macOS (dmg, the .app), 16-1024 px
 * The outputs are generated, not committed (build/.gitignore); `npm run dist` runs this first.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

export const LINUX_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

export function renderPng(svg: string, size: number): Buffer {
  const rendered = new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render();
  if (rendered.width !== size || rendered.height !== size) {
    throw new Error(`build/icon.svg must be square: rendered ${rendered.width}x${rendered.height} for ${size} px`);
  }
  return rendered.asPng();
}

/** Writes every icon into `outDir`; returns the files written. */
export async function generateIcons(svgFile = 'build/icon.svg', outDir = 'build'): Promise<string[]> {
  const svg = await readFile(svgFile, 'utf8');
  const written: string[] = [];
  const write = async (file: string, data: Buffer): Promise<void> => {
    await writeFile(file, data);
    written.push(file);
  };
  await mkdir(join(outDir, 'icons'), { recursive: true });
  const largest = renderPng(svg, 1024);
  await write(join(outDir, 'icon.png'), largest);
  for (const size of LINUX_ICON_SIZES) await write(join(outDir, 'icons', `${size}x${size}.png`), size === 1024 ? largest : renderPng(svg, size));

  const ico = png2icons.createICO(renderPng(svg, 256), png2icons.BICUBIC2, 0, true, true);
  if (ico === null) throw new Error('png2icons could not make icon.ico');
  await write(join(outDir, 'icon.ico'), ico);
  const icns = png2icons.createICNS(largest, png2icons.BICUBIC2, 0);
  if (icns === null) throw new Error('png2icons could not make icon.icns');
  await write(join(outDir, 'icon.icns'), icns);
  return written;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  generateIcons().then(
    (files) => console.log(`icons: wrote ${files.length} files from build/icon.svg`),
    (error: unknown) => {
      console.error(`icons: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
