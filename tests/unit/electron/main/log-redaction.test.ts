import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact, redactValue, REDACTED, REDACTED_EMAIL } from '../../../../electron/main/log-redaction';
import { createAppLog, rotateLogFiles } from '../../../../electron/main/logging';

describe('log redaction', () => {
  it.each([
    ['GET /v1/orders with Authorization: Bearer sk_live_4f9a8b7c6d5e', 'sk_live_4f9a8b7c6d5e'],
    ['https://api.example/v1/orders?limit=10&token=abc123def456&x=1', 'abc123def456'],
    ['{"access_token":"eyJhbGciOi.payloadpart.sig","user":1}', 'eyJhbGciOi.payloadpart.sig'],
    ['config: { apiKey: "k-998877" }', 'k-998877'],
    ['password=hunter22 in the form', 'hunter22'],
    ['connecting to https://seller:s3cr3t@api.example/', 's3cr3t'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcDEF123_- leaked', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcDEF123_-'],
  ])('removes the credential from %s', (line, secret) => {
    const result = redact(line);
    expect(result).not.toContain(secret);
    expect(result).toContain(REDACTED);
  });

  it('removes buyers’ e-mail addresses, keeping the rest of the line', () => {
    const result = redact('refund for order A-1001 (buyer jane.doe+shop@mail.example.co.uk) sent');
    expect(result).toBe(`refund for order A-1001 (buyer ${REDACTED_EMAIL}) sent`);
  });

  it('removes registered secrets wherever they appear, whatever their shape', () => {
    const token = 'demo-token-7c1e';
    expect(redact(`sync failed for ${token} at /v1/orders (${token})`, [token])).toBe(`sync failed for ${REDACTED} at /v1/orders (${REDACTED})`);
  });

  it('leaves ordinary lines alone', () => {
    const line = 'sync pass done: 2000 orders, 512 requests in 1.2 s; the token expired? no';
    expect(redact(line)).toBe(line);
  });

  it('redacts errors and objects handed to the logger', () => {
    expect(redactValue(new Error('401 for Bearer abcdefghijk'))).toContain(`Bearer ${REDACTED}`);
    expect(redactValue({ email: 'a.buyer@example.com', token: 'zzz999' })).not.toMatch(/a\.buyer@example\.com|zzz999/);
    expect(redactValue(42)).toBe('42');
  });
});

describe('the log file', () => {
  it('is written redacted under the given folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'desk-log-'));
    const log = createAppLog({ logsDir: dir, consoleLevel: false });
    log.addSecret('tok-1234567');
    log.logger.info('connected with tok-1234567 for buyer someone@example.com');
    const text = await readFile(log.file, 'utf8');
    expect(text).toContain(`connected with ${REDACTED} for buyer ${REDACTED_EMAIL}`);
    expect(text).not.toContain('tok-1234567');
  });

  it('rotates main.log into numbered archives, keeping the newest few', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'desk-rotate-'));
    const file = join(dir, 'main.log');
    for (let round = 1; round <= 5; round++) {
      await writeFile(file, `round ${round}`);
      rotateLogFiles(file, 3);
    }
    expect((await readdir(dir)).sort()).toEqual(['main.1.log', 'main.2.log', 'main.3.log']);
    expect(await readFile(join(dir, 'main.1.log'), 'utf8')).toBe('round 5');
    expect(await readFile(join(dir, 'main.3.log'), 'utf8')).toBe('round 3');
  });
});
