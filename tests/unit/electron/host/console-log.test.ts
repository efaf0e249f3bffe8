import { describe, expect, it } from 'vitest';
import { createConsoleLog, type LogLevel } from '../../../../electron/host/console-log';
import { REDACTED, REDACTED_EMAIL } from '../../../../electron/main/log-redaction';

function recordingConsole(): { lines: Array<[LogLevel, string]>; write: (level: LogLevel, line: string) => void } {
  const lines: Array<[LogLevel, string]> = [];
  return { lines, write: (level, line) => lines.push([level, line]) };
}

describe('browser host console log', () => {
  it('redacts like the desktop app: registered secrets, credentials and e-mail addresses', () => {
    const output = recordingConsole();
    const log = createConsoleLog('[desk]', output.write);
    log.addSecret('mkt-secret-0123456789');
    log.logger.warn('sync failed for mkt-secret-0123456789 at https://api.market.example/');
    log.logger.error('GET /v1/orders: Authorization: Bearer abcdef0123456789 refused; password=hunter22');
    log.logger.info('buyer jane.doe@example.com asked for proof');
    expect(output.lines).toEqual([
      ['warn', `[desk] sync failed for ${REDACTED} at https://api.market.example/`],
      ['error', expect.not.stringMatching(/abcdef0123456789|hunter22/) as unknown],
      ['info', `[desk] buyer ${REDACTED_EMAIL} asked for proof`],
    ]);
    expect(output.lines[1]?.[1]).toContain(REDACTED);
  });

  it('redacts a line written outside the logger the same way', () => {
    const log = createConsoleLog('[desk]', () => undefined);
    log.addSecret('mkt-secret-0123456789');
    expect(log.redact('start:web failed: token mkt-secret-0123456789 for seller@shop.example')).toBe(`start:web failed: token ${REDACTED} for ${REDACTED_EMAIL}`);
  });
});
