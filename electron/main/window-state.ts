/**
 * The main window's size and position, kept across launches in a small JSON file under userData.
 * The file is external input: it is validated, and a window placed where no display is now (an
 * unplugged monitor, a changed resolution) is brought back onto a visible one.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { describeIssues } from '../../shared/ipc/dispatch';

export const WINDOW_STATE_FILE = 'window-state.json';

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 800 } as const;
export const MIN_WINDOW_SIZE = { width: 960, height: 600 } as const;

/** How much of the window (its top strip, where the title bar is) must stay on a display. */
const MIN_VISIBLE = { width: 120, height: 40 } as const;

const Coordinate = z.number().int().min(-100_000).max(100_000);
const Length = z.number().int().min(100).max(100_000);

export const WindowStateSchema = z
  .object({
    version: z.literal(1),
    bounds: z.object({ x: Coordinate, y: Coordinate, width: Length, height: Length }).strict(),
    maximized: z.boolean(),
    fullScreen: z.boolean().default(false),
  })
  .strict();
export type WindowState = z.infer<typeof WindowStateSchema>;

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the window is created with: a position only when one was saved and still fits. */
export interface WindowPlacement {
  bounds: { width: number; height: number; x?: number; y?: number };
  maximized: boolean;
  fullScreen: boolean;
}

export type WindowStateRead =
  | { ok: true; state: WindowState | null }
  | { ok: false; code: 'window_state_unreadable' | 'window_state_invalid'; message: string };

/** Parses the file's text; null when there is none yet. */
export function parseWindowState(text: string | null): WindowStateRead {
  if (text === null) return { ok: true, state: null };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, code: 'window_state_unreadable', message: `The saved window position is not JSON (${error instanceof Error ? error.message : String(error)}); the default is used.` };
  }
  const parsed = WindowStateSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, code: 'window_state_invalid', message: `The saved window position is invalid (${describeIssues(parsed.error)}); the default is used.` };
  }
  return { ok: true, state: parsed.data };
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

/**
 * Where to open the window, given the saved state and the work areas of the displays now
 * attached (the first is the primary). The size never exceeds the display it lands on; a window
 * whose title bar is not on any display is centred on the primary one.
 */
export function placeWindow(state: WindowState | null, workAreas: readonly Rectangle[]): WindowPlacement {
  const primary = workAreas[0];
  if (state === null || primary === undefined) {
    const size = primary === undefined ? { ...DEFAULT_WINDOW_SIZE } : fitSize(DEFAULT_WINDOW_SIZE, primary);
    return { bounds: size, maximized: false, fullScreen: false };
  }
  const saved = state.bounds;
  const titleStrip: Rectangle = { x: saved.x, y: saved.y, width: saved.width, height: Math.min(saved.height, MIN_VISIBLE.height) };
  const home = workAreas.find((area) => {
    const shared = overlap(titleStrip, area);
    return shared.width >= Math.min(MIN_VISIBLE.width, saved.width) && shared.height >= Math.min(MIN_VISIBLE.height, titleStrip.height);
  });
  if (home === undefined) {
    const size = fitSize(saved, primary);
    return {
      bounds: { ...size, x: primary.x + Math.round((primary.width - size.width) / 2), y: primary.y + Math.round((primary.height - size.height) / 2) },
      maximized: state.maximized,
      fullScreen: state.fullScreen,
    };
  }
  const size = fitSize(saved, home);
  // Keep it where it was, moved just enough to bring the whole window inside that display.
  const x = clamp(saved.x, home.x, home.x + home.width - size.width);
  const y = clamp(saved.y, home.y, home.y + home.height - size.height);
  return { bounds: { ...size, x, y }, maximized: state.maximized, fullScreen: state.fullScreen };
}

function fitSize(size: { width: number; height: number }, area: Rectangle): { width: number; height: number } {
  return {
    width: clamp(size.width, Math.min(MIN_WINDOW_SIZE.width, area.width), area.width),
    height: clamp(size.height, Math.min(MIN_WINDOW_SIZE.height, area.height), area.height),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

/** Reads the saved state; a missing file is "none yet", anything unreadable is reported. */
export async function loadWindowState(file: string): Promise<WindowStateRead> {
  let text: string | null;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, state: null };
    return { ok: false, code: 'window_state_unreadable', message: `Could not read ${file}: ${error instanceof Error ? error.message : String(error)}` };
  }
  return parseWindowState(text);
}

/** Writes the state whole or not at all (temp file, then rename). */
export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  const valid = WindowStateSchema.parse(state);
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(valid, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, file);
}
