import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWindowState, parseWindowState, placeWindow, saveWindowState, type WindowState } from '../../../../electron/main/window-state';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const monitorOnRight = { x: 1440, y: 0, width: 2560, height: 1415 };

function saved(bounds: WindowState['bounds'], overrides: Partial<WindowState> = {}): WindowState {
  return { version: 1, bounds, maximized: false, fullScreen: false, ...overrides };
}

describe('parsing the saved window state', () => {
  it('reads a valid file and treats a missing one as none yet', () => {
    const state = saved({ x: 10, y: 20, width: 1200, height: 700 }, { maximized: true });
    expect(parseWindowState(JSON.stringify(state))).toEqual({ ok: true, state });
    expect(parseWindowState(null)).toEqual({ ok: true, state: null });
  });

  it.each([
    ['{ not json', 'window_state_unreadable'],
    ['{"version":1,"bounds":{"x":0,"y":0,"width":"wide","height":700},"maximized":false}', 'window_state_invalid'],
    ['{"version":2,"bounds":{"x":0,"y":0,"width":1200,"height":700},"maximized":false}', 'window_state_invalid'],
    ['{"version":1,"bounds":{"x":0,"y":0,"width":1200,"height":700},"maximized":false,"extra":1}', 'window_state_invalid'],
    ['{"version":1,"bounds":{"x":1e9,"y":0,"width":1200,"height":700},"maximized":false}', 'window_state_invalid'],
  ])('reports %s with a code and the failing path', (text, code) => {
    const read = parseWindowState(text);
    expect(read).toMatchObject({ ok: false, code });
    if (!read.ok && code === 'window_state_invalid') expect(read.message).toMatch(/bounds|version|extra|Unrecognized/);
  });
});

describe('placing the window on the displays attached now', () => {
  it('uses the default size, unpositioned, with nothing saved', () => {
    expect(placeWindow(null, [laptop])).toEqual({ bounds: { width: 1280, height: 800 }, maximized: false, fullScreen: false });
  });

  it('shrinks the default to a small display', () => {
    expect(placeWindow(null, [{ x: 0, y: 0, width: 1024, height: 700 }]).bounds).toEqual({ width: 1024, height: 700 });
  });

  it('restores a window that still fits where it was, on any display', () => {
    expect(placeWindow(saved({ x: 100, y: 50, width: 1200, height: 700 }), [laptop, monitorOnRight]).bounds).toEqual({ x: 100, y: 50, width: 1200, height: 700 });
    expect(placeWindow(saved({ x: 2000, y: 100, width: 1600, height: 1000 }), [laptop, monitorOnRight]).bounds).toEqual({ x: 2000, y: 100, width: 1600, height: 1000 });
  });

  it('centres on the primary display a window left on a monitor that is gone', () => {
    const placement = placeWindow(saved({ x: 2000, y: 100, width: 1600, height: 1000 }, { maximized: true }), [laptop]);
    expect(placement).toEqual({ bounds: { x: 0, y: 0, width: 1440, height: 875 }, maximized: true, fullScreen: false });
    const smaller = placeWindow(saved({ x: 5000, y: 100, width: 1000, height: 700 }), [laptop]);
    expect(smaller.bounds).toEqual({ x: 220, y: 88, width: 1000, height: 700 });
  });

  it('pulls back a window hanging off the edge, and clamps its size to the display', () => {
    expect(placeWindow(saved({ x: 1000, y: 500, width: 1200, height: 700 }), [laptop]).bounds).toEqual({ x: 240, y: 175, width: 1200, height: 700 });
    expect(placeWindow(saved({ x: 0, y: 0, width: 3000, height: 2000 }), [laptop]).bounds).toEqual({ x: 0, y: 0, width: 1440, height: 875 });
  });

  it('does not keep a window whose title bar is above the top of every display', () => {
    const placement = placeWindow(saved({ x: 100, y: -600, width: 1200, height: 700 }), [laptop]);
    expect(placement.bounds).toEqual({ x: 120, y: 88, width: 1200, height: 700 });
  });

  it('keeps a window with only a sliver off screen but the title bar visible', () => {
    expect(placeWindow(saved({ x: -50, y: 10, width: 1200, height: 700 }), [laptop]).bounds).toEqual({ x: 0, y: 10, width: 1200, height: 700 });
  });

  it('opens with the default when no display is reported', () => {
    expect(placeWindow(saved({ x: 0, y: 0, width: 1200, height: 700 }), []).bounds).toEqual({ width: 1280, height: 800 });
  });
});

describe('the window state file', () => {
  it('saves and loads back, with the file readable by this user only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'desk-window-'));
    const file = join(dir, 'nested', 'window-state.json');
    const state = saved({ x: 1, y: 2, width: 1000, height: 700 });
    await saveWindowState(file, state);
    expect(await loadWindowState(file)).toEqual({ ok: true, state });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(state);
    // Windows has no POSIX modes (the file sits in the user's own profile there).
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('makes a file that others could read private when it saves over it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'desk-window-'));
    const file = join(dir, 'window-state.json');
    await writeFile(file, '{}');
    await chmod(file, 0o644);
    await saveWindowState(file, saved({ x: 1, y: 2, width: 1000, height: 700 }));
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadWindowState(file)).toMatchObject({ ok: true });
  });

  it('reports a damaged file instead of throwing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'desk-window-'));
    const file = join(dir, 'window-state.json');
    await writeFile(file, '{"version":1');
    expect(await loadWindowState(file)).toMatchObject({ ok: false, code: 'window_state_unreadable' });
    expect(await loadWindowState(join(dir, 'none.json'))).toEqual({ ok: true, state: null });
  });

  it('refuses to save an invalid state', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'desk-window-'));
    await expect(saveWindowState(join(dir, 'w.json'), saved({ x: 0, y: 0, width: 10, height: 10 }))).rejects.toThrow();
  });
});
