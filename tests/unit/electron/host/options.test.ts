import { describe, expect, it } from 'vitest';
import { COMMAND_LINE_TOKEN_REFUSED, MARKETPLACE_TOKEN_ENV, parseHostArgs, type TokenSources } from '../../../../electron/host/options';

const TOKEN = 'tok-0123456789abcdef';

/** Sources with nothing in them unless the test puts it there; reading what is absent fails loudly. */
function sources(overrides: { env?: Record<string, string | undefined>; files?: Record<string, string>; stdin?: string } = {}): TokenSources & { env: Record<string, string | undefined> } {
  return {
    env: { ...overrides.env },
    readFile: (path) => {
      const text = overrides.files?.[path];
      return text === undefined ? Promise.reject(new Error(`ENOENT: no such file or directory, open '${path}'`)) : Promise.resolve(text);
    },
    readStdin: () => (overrides.stdin === undefined ? Promise.reject(new Error('stdin was not expected to be read')) : Promise.resolve(overrides.stdin)),
  };
}

describe('start:web options', () => {
  it.each([
    [['--marketplace-url', 'https://api.market.example/', '--marketplace-token', TOKEN]],
    [[`--marketplace-token=${TOKEN}`]],
    [['--marketplace-token']],
  ])('refuses a token on the command line, saying what to use instead: %j', async (argv) => {
    const result = await parseHostArgs(argv, sources());
    expect(result).toEqual({ ok: false, message: COMMAND_LINE_TOKEN_REFUSED });
    expect(COMMAND_LINE_TOKEN_REFUSED).toContain(MARKETPLACE_TOKEN_ENV);
    expect(COMMAND_LINE_TOKEN_REFUSED).toContain('--marketplace-token-file <path>');
    expect(COMMAND_LINE_TOKEN_REFUSED).toContain('--marketplace-token-stdin');
  });

  it('takes the token from the environment and removes it from there', async () => {
    const from = sources({ env: { [MARKETPLACE_TOKEN_ENV]: TOKEN, HOME: '/home/seller' } });
    const result = await parseHostArgs(['--marketplace-url', 'https://api.market.example/'], from);
    expect(result).toMatchObject({ ok: true, args: { 'marketplace-url': 'https://api.market.example/', marketplaceToken: { value: TOKEN } } });
    expect(from.env).toEqual({ HOME: '/home/seller' });
  });

  it('removes the variable from the environment even when the command line is refused', async () => {
    const from = sources({ env: { [MARKETPLACE_TOKEN_ENV]: TOKEN } });
    expect(await parseHostArgs(['--port', 'abc'], from)).toMatchObject({ ok: false });
    expect(from.env).toEqual({});
  });

  it('reads the token from a file, without its trailing line break', async () => {
    const result = await parseHostArgs(['--marketplace-token-file', '/run/secrets/desk'], sources({ files: { '/run/secrets/desk': `${TOKEN}\n` } }));
    expect(result).toMatchObject({ ok: true, args: { marketplaceToken: { value: TOKEN, source: 'the file /run/secrets/desk' } } });
  });

  it('reads the token from standard input', async () => {
    const result = await parseHostArgs(['--marketplace-token-stdin'], sources({ stdin: `  ${TOKEN}\r\n` }));
    expect(result).toMatchObject({ ok: true, args: { marketplaceToken: { value: TOKEN, source: 'standard input' } } });
  });

  it('runs without a token when none is given', async () => {
    expect(await parseHostArgs(['--orders', '10'], sources())).toMatchObject({ ok: true, args: { orders: 10, marketplaceToken: null } });
  });

  it('refuses two sources at once, a missing file, and a token that cannot be one, never echoing it', async () => {
    const both = await parseHostArgs(['--marketplace-token-stdin'], sources({ env: { [MARKETPLACE_TOKEN_ENV]: TOKEN }, stdin: TOKEN }));
    expect(both).toEqual({
      ok: false,
      message: `Give the marketplace token one way only; it was given by the ${MARKETPLACE_TOKEN_ENV} environment variable and --marketplace-token-stdin.`,
    });
    const missing = await parseHostArgs(['--marketplace-token-file', '/nowhere/token'], sources());
    expect(missing).toMatchObject({ ok: false, message: expect.stringContaining('Could not read the marketplace token from the file /nowhere/token: ENOENT') as unknown });
    const empty = await parseHostArgs(['--marketplace-token-file', '/empty'], sources({ files: { '/empty': '\n' } }));
    expect(empty).toEqual({ ok: false, message: 'The marketplace token from the file /empty is empty.' });
    const twoLines = await parseHostArgs(['--marketplace-token-stdin'], sources({ stdin: `${TOKEN}\nsecond-line-of-secret` }));
    expect(twoLines).toEqual({ ok: false, message: 'The marketplace token from standard input must not contain spaces, line breaks or control characters.' });
    if (!twoLines.ok) expect(twoLines.message).not.toContain('second-line-of-secret');
  });

  it('names the option at fault for anything else', async () => {
    expect(await parseHostArgs(['--bogus'], sources())).toMatchObject({ ok: false, message: expect.stringContaining('--bogus') as unknown });
    expect(await parseHostArgs(['--port', '70000'], sources())).toMatchObject({ ok: false, message: expect.stringContaining('port') as unknown });
  });
});
