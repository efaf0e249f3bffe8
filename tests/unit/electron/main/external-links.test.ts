import { describe, expect, it, vi } from 'vitest';
import { checkExternalUrl, isAllowedExternalUrl, openExternalSafely } from '../../../../electron/main/external-links';

describe('the external-link allow-list', () => {
  it.each([
    'https://www.aliexpress.com/',
    'https://sellercenter.aliexpress.com/orders?id=1#top',
    'HTTPS://WWW.ALIEXPRESS.COM/item/1.html',
    'https://www.aliexpress.com./item',
  ])('allows %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    ['http://www.aliexpress.com/', 'not_https'],
    ['file:///etc/passwd', 'not_https'],
    ['javascript:alert(1)', 'not_https'],
    ['app://desk/index.html', 'not_https'],
    ['https://evil.example/', 'host_not_allowed'],
    ['https://www.aliexpress.com.evil.example/', 'host_not_allowed'],
    ['https://evilaliexpress.com/', 'host_not_allowed'],
    ['https://www.aliexpress.com:8443/', 'host_not_allowed'],
    ['https://www.аliexpress.com/', 'host_not_allowed'],
    ['https://user:pass@www.aliexpress.com/', 'credentials_in_url'],
    ['not a url', 'invalid_url'],
    [`https://www.aliexpress.com/${'a'.repeat(3_000)}`, 'url_too_long'],
  ])('refuses %s (%s)', (url, code) => {
    expect(checkExternalUrl(url)).toMatchObject({ allowed: false, code });
  });

  it('takes another list when given one', () => {
    expect(isAllowedExternalUrl('https://docs.example/', new Set(['docs.example']))).toBe(true);
    expect(isAllowedExternalUrl('https://www.aliexpress.com/', new Set(['docs.example']))).toBe(false);
  });
});

describe('openExternalSafely (the safe-shell wrapper)', () => {
  it('opens an allowed link, normalised', async () => {
    const openExternal = vi.fn(() => Promise.resolve());
    const warn = vi.fn();
    expect(await openExternalSafely('HTTPS://www.aliexpress.com/item/1.html', { open: openExternal, warn })).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://www.aliexpress.com/item/1.html');
    expect(warn).not.toHaveBeenCalled();
  });

  it('never hands a refused link to the shell, and says why without repeating the link', async () => {
    const openExternal = vi.fn(() => Promise.resolve());
    const warn = vi.fn();
    expect(await openExternalSafely('https://evil.example/?token=secret123', { open: openExternal, warn })).toBe(false);
    expect(openExternal).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).toContain('host_not_allowed');
    expect(String(warn.mock.calls[0]?.[0])).not.toContain('secret123');
  });

  it('reports a shell failure instead of throwing', async () => {
    const warn = vi.fn();
    const opened = await openExternalSafely('https://www.aliexpress.com/', { open: () => Promise.reject(new Error('no browser')), warn });
    expect(opened).toBe(false);
    expect(String(warn.mock.calls[0]?.[0])).toContain('no browser');
  });
});
