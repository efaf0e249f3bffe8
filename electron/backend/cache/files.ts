import { access, chmod, constants, copyFile, mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';

/**
 * The data folder holds buyers' names, messages and photos and the seller's decisions: like the
 * secrets, settings and logs, its files are this user's alone (0600) and its folders too (0700).
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Creates `dir` and any missing parent for this user only. A folder that is already there is
 * narrowed to 0700 as well: a data folder from an older version may have been created 0755.
 * (Windows has no POSIX modes; the user's profile folder protects the data there.)
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform !== 'win32') await chmod(dir, PRIVATE_DIR_MODE);
}

/** Opens a file of ours for writing, readable by this user only, also when it is reused ('w' keeps an old file's mode). */
export async function openPrivate(file: string, flags: 'w' | 'wx'): Promise<FileHandle> {
  const handle = await open(file, flags, PRIVATE_FILE_MODE);
  if (flags === 'w' && process.platform !== 'win32') {
    try {
      await handle.chmod(PRIVATE_FILE_MODE);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
  return handle;
}

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
