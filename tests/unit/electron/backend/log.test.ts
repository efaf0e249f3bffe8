import { afterEach, describe, expect, it } from 'vitest';
import { escapeForLog, escapingLogger, type Logger } from '../../../../electron/backend/log';
import { startDesk, type Desk } from '../../../support/desk';

describe('escapeForLog', () => {
  it('writes newlines, tabs and other C0 controls and DEL as visible escapes', () => {
    expect(escapeForLog('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(escapeForLog('\u0000\u0007\u001b[31mred\u007f')).toBe('\\u0000\\u0007\\u001b[31mred\\u007f');
  });

  it('escapes C1 controls, the line and paragraph separators and every bidi control', () => {
    expect(escapeForLog('\u0085\u009b')).toBe('\\u0085\\u009b');
    expect(escapeForLog('x\u2028y\u2029z')).toBe('x\\u2028y\\u2029z');
    const bidi = '\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
    expect(escapeForLog(bidi)).toBe('\\u061c\\u200e\\u200f\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069');
  });

  it('leaves ordinary text alone: accents, other scripts, emoji, backslashes (Windows paths)', () => {
    const text = 'Zoë paid ¥1200 — مرحبا 你好 👍 C:\\Users\\zoe';
    expect(escapeForLog(text)).toBe(text);
  });
});

describe('the backend log', () => {
  let desk: Desk | null = null;
  afterEach(async () => {
    await desk?.close();
    desk = null;
  });

  it('escapes marketplace text: a record set aside with a forged line and a bidi override in its id is one line', async () => {
    const lines: string[] = [];
    const log: Logger = { info: (line) => lines.push(line), warn: (line) => lines.push(line), error: (line) => lines.push(line) };
    desk = await startDesk({ seed: 8, orders: 200, backend: { log } });
    const state = desk.simulator.state;
    const [order] = state.orders.list();
    if (order === undefined) throw new Error('no order in the demo data');
    const forgedId = 'o-evil\n2026-11-26 [error] forged line\u202etxt.exe';
    state.putOrder({ ...order, id: forgedId, buyer: { ...order.buyer, name: 'x'.repeat(10_000) }, version: order.version + 1, updatedAt: state.stamp() });
    desk.clock.advance(60_000);
    expect((await desk.backend.handle('sync.now', { full: false })).quarantined).toBeGreaterThan(0);

    const setAside = lines.filter((line) => line.includes('o-evil'));
    expect(setAside.length).toBeGreaterThan(0);
    for (const line of setAside) {
      expect(line).not.toMatch(/[\n\r\u202e]/);
      expect(line).toContain('o-evil\\n2026-11-26 [error] forged line\\u202etxt.exe');
    }
  });
});

describe('escapingLogger', () => {
  it('escapes every level before it reaches the logger underneath', () => {
    const lines: string[] = [];
    const log = escapingLogger({ info: (line) => lines.push(`info ${line}`), warn: (line) => lines.push(`warn ${line}`), error: (line) => lines.push(`error ${line}`) });
    log.info('a\nb');
    log.warn('c\u202ed');
    log.error('e\rf');
    expect(lines).toEqual(['info a\\nb', 'warn c\\u202ed', 'error e\\rf']);
  });
});
