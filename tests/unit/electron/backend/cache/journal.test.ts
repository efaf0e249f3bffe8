import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, scanFrames } from '../../../../../electron/backend/cache/frame';
import { JournalWriter, readSegment, segmentFileName } from '../../../../../electron/backend/cache/journal';
import { removeTempDirs, tempDir, testClock } from './helpers';

afterEach(removeTempDirs);

function record(seq: number, note = 'x'): Buffer {
  return encodeFrame(Buffer.from(JSON.stringify({ seq, ops: [{ t: 'items', op: 'put', keys: [`k${seq}`], values: [{ id: `k${seq}`, note }] }] }), 'utf8'));
}

describe('frames', () => {
  const frames = [record(1), record(2, 'second'), record(3, 'third and last')];
  const whole = Buffer.concat(frames);
  const lastStart = whole.length - (frames[2]?.length ?? 0);

  it('reads back every frame of an intact buffer', () => {
    const scan = scanFrames(whole);
    expect(scan.stop).toBeNull();
    expect(scan.end).toBe(whole.length);
    expect(scan.frames.map((frame) => JSON.parse(frame.payload.toString('utf8')) as { seq: number }).map((item) => item.seq)).toEqual([1, 2, 3]);
  });

  it('calls a buffer cut at any byte of its last frame a torn tail, ending at the frame before', () => {
    for (let cut = lastStart + 1; cut < whole.length; cut += 1) {
      const scan = scanFrames(whole.subarray(0, cut));
      expect(scan.frames).toHaveLength(2);
      expect(scan.end).toBe(lastStart);
      expect(scan.stop).toMatchObject({ kind: 'torn', offset: lastStart });
    }
  });

  it('calls a checksum failure in the last frame a torn tail, and in an earlier one corruption', () => {
    const tail = Buffer.from(whole);
    tail[whole.length - 3] = (tail[whole.length - 3] ?? 0) ^ 0xff;
    expect(scanFrames(tail).stop).toMatchObject({ kind: 'torn', offset: lastStart });

    const middle = Buffer.from(whole);
    const secondStart = frames[0]?.length ?? 0;
    middle[secondStart + 20] = (middle[secondStart + 20] ?? 0) ^ 0x01;
    const scan = scanFrames(middle);
    expect(scan.frames).toHaveLength(1);
    expect(scan.stop).toMatchObject({ kind: 'corrupt', offset: secondStart });
  });

  it('calls a damaged length field corruption, not a torn tail', () => {
    const damaged = Buffer.from(whole);
    const secondStart = frames[0]?.length ?? 0;
    damaged[secondStart + 1] = (damaged[secondStart + 1] ?? 0) ^ 0x40;
    expect(scanFrames(damaged).stop).toMatchObject({ kind: 'corrupt', offset: secondStart });
  });

  it('calls zeros to the end of the file a torn tail', () => {
    const zeros = Buffer.concat([whole, Buffer.alloc(100)]);
    expect(scanFrames(zeros).stop).toMatchObject({ kind: 'torn', offset: whole.length });
  });
});

describe('journal writer', () => {
  function writer(dir: string, clock = testClock(), onDurable?: (seq: number) => void): JournalWriter {
    return new JournalWriter({
      dir,
      clock,
      schemaVersion: 1,
      nextSegment: 1,
      lastSeq: 0,
      groupCommitMs: 50,
      segments: [],
      bytesSinceSnapshot: 0,
      onFailure: () => undefined,
      onDurable,
    });
  }

  it('group-commits: appends wait for the timer, then go to disk in one write', async () => {
    const dir = await tempDir();
    const clock = testClock();
    const durable: number[] = [];
    let wrote: () => void = () => undefined;
    const firstWrite = new Promise<void>((resolve) => {
      wrote = resolve;
    });
    const journal = writer(dir, clock, (seq) => {
      durable.push(seq);
      wrote();
    });
    journal.append(1, record(1));
    journal.append(2, record(2));
    journal.append(3, record(3));
    clock.advance(49);
    expect(await readdir(dir)).toEqual([]);
    clock.advance(1);
    await firstWrite;
    expect(durable).toEqual([3]);
    expect(journal.flushedSeq).toBe(3);
    const read = await readSegment(join(dir, segmentFileName(1)), 1);
    expect(read.entries.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect(read.header).toMatchObject({ firstSeq: 1, schemaVersion: 1 });
    await journal.close();
  });

  it('flush() writes at once without waiting for the timer, and costs nothing when all is written', async () => {
    const dir = await tempDir();
    const durable: number[] = [];
    const journal = writer(dir, testClock(), (seq) => durable.push(seq));
    journal.append(1, record(1));
    await journal.flush();
    expect(durable).toEqual([1]);
    await journal.flush();
    await journal.flush();
    expect(durable).toEqual([1]);
    journal.append(2, record(2));
    journal.append(3, record(3));
    await Promise.all([journal.flush(), journal.flush()]);
    expect(durable).toEqual([1, 3]);
    await journal.close();
  });

  it('starts a new segment on rotate, at once, numbered after the last', async () => {
    const dir = await tempDir();
    const journal = writer(dir);
    journal.append(1, record(1));
    expect(journal.rotate()).toBe(1);
    journal.append(2, record(2));
    await journal.flush();
    expect((await readdir(dir)).sort()).toEqual([segmentFileName(1), segmentFileName(2)]);
    const second = await readSegment(join(dir, segmentFileName(2)), 2);
    expect(second.header).toMatchObject({ firstSeq: 2 });
    expect(second.entries.map((entry) => entry.seq)).toEqual([2]);
    await journal.close();
  });

  it('reports a failed write to every waiting flush, and to whoever watches', async () => {
    const dir = await tempDir();
    const failures: string[] = [];
    const journal = new JournalWriter({
      dir: join(dir, 'missing-folder'),
      clock: testClock(),
      schemaVersion: 1,
      nextSegment: 1,
      lastSeq: 0,
      groupCommitMs: 50,
      segments: [],
      bytesSinceSnapshot: 0,
      onFailure: (error) => failures.push(error.code),
    });
    journal.append(1, record(1));
    await expect(journal.flush()).rejects.toMatchObject({ code: 'cache_write_failed' });
    await expect(journal.flush()).rejects.toMatchObject({ code: 'cache_write_failed' });
    expect(failures).toEqual(['cache_write_failed']);
    expect((await readFile(join(dir, 'missing-folder')).catch((error: unknown) => error)) as { code?: string }).toMatchObject({ code: 'ENOENT' });
    await journal.close();
  });
});
