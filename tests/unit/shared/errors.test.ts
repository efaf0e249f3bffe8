import { describe, expect, it } from 'vitest';
import { DeskError, errorDetail, toErrorShape } from '../../../shared/errors';

/** What Node's fs throws for a missing file: its message names the absolute path. */
function fsError(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT', errno: -2, syscall: 'open', path });
}

describe('toErrorShape: what a person is shown', () => {
  it('keeps a DeskError as it is: code and sentence', () => {
    expect(toErrorShape(new DeskError('not_found', 'There is no request r-1 in the cache.'))).toEqual({ code: 'not_found', message: 'There is no request r-1 in the cache.' });
  });

  it('turns anything else into a sentence without its raw text (no path), naming a system error code', () => {
    const shape = toErrorShape(fsError('/home/zoe/.config/Cancel Desk/evidence/e-1.img'));
    expect(shape).toEqual({ code: 'internal', message: 'Something went wrong inside Cancel Desk (ENOENT); the details are in its log.' });
    expect(toErrorShape(new TypeError("Cannot read properties of undefined (reading 'id')"))).toEqual({
      code: 'internal',
      message: 'Something went wrong inside Cancel Desk; the details are in its log.',
    });
    expect(toErrorShape('a string')).toMatchObject({ code: 'internal', message: expect.not.stringContaining('a string') as string });
  });

  it('never takes a code that is not a system error code into the sentence', () => {
    const odd = Object.assign(new Error('x'), { code: "/etc/passwd'; drop" });
    expect(toErrorShape(odd).message).toBe('Something went wrong inside Cancel Desk; the details are in its log.');
  });
});

describe('errorDetail: what the log is told', () => {
  it('says everything: the name, the message with its path, the code', () => {
    expect(errorDetail(fsError('/data/evidence/e-1.img'))).toBe("ENOENT: no such file or directory, open '/data/evidence/e-1.img'");
    expect(errorDetail(new TypeError('x is undefined'))).toBe('TypeError: x is undefined');
    expect(errorDetail(Object.assign(new Error('disk full'), { code: 'ENOSPC' }))).toBe('disk full (ENOSPC)');
    expect(errorDetail(new DeskError('marketplace_error', 'The marketplace refused GET /v1/x (HTTP 418).'))).toBe('The marketplace refused GET /v1/x (HTTP 418).');
  });
});
