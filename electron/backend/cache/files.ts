import { access, constants, copyFile, open, rename, unlink } from 'node:fs/promises';

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

/**
 * The name a damaged file is kept under: never deleted, never picked up again by recovery, and
 * never the name of another kept file (a second damage in the same millisecond gets `-2`).
 */
export async function damagedName(file: string, nowMs: number): Promise<string> {
  const base = `${file}.damaged-${nowMs}`;
  for (let attempt = 1; ; attempt += 1) {
    const name = attempt === 1 ? base : `${base}-${attempt}`;
    try {
      await access(name);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return name;
      throw error;
    }
  }
}

/** Moves a damaged file out of recovery's way, keeping it for a person to look at. */
export async function setAside(file: string, nowMs: number): Promise<string> {
  const aside = await damagedName(file, nowMs);
  await rename(file, aside);
  return aside;
}

/** Keeps a copy of a damaged file (the original is then repaired in place). */
export async function keepCopy(file: string, nowMs: number): Promise<string> {
  const aside = await damagedName(file, nowMs);
  await copyFile(file, aside, constants.COPYFILE_EXCL);
  return aside;
}

/** Removes a file of ours that may already be gone. */
export async function removeIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
}
