import { copyFile, open, rename } from 'node:fs/promises';

/** Makes a rename or a new file in `dir` survive a power cut (POSIX needs the directory fsynced). */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch (error) {
    // Some platforms (Windows) cannot open a directory; there a rename is durable once it returns.
    if (isErrno(error, 'EISDIR') || isErrno(error, 'EPERM') || isErrno(error, 'EACCES')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!isErrno(error, 'EINVAL') && !isErrno(error, 'EPERM')) throw error;
  } finally {
    await handle.close();
  }
}

export function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

/** The name a damaged file is kept under: never deleted, never picked up again by recovery. */
export function damagedName(file: string, nowMs: number): string {
  return `${file}.damaged-${nowMs}`;
}

/** Moves a damaged file out of recovery's way, keeping it for a person to look at. */
export async function setAside(file: string, nowMs: number): Promise<string> {
  const aside = damagedName(file, nowMs);
  await rename(file, aside);
  return aside;
}

/** Keeps a copy of a damaged file (the original is then repaired in place). */
export async function keepCopy(file: string, nowMs: number): Promise<string> {
  const aside = damagedName(file, nowMs);
  await copyFile(file, aside);
  return aside;
}
