/**
 * The marketplace connection in the browser host: the host, not the backend, answers the two
 * connection channels. The choice (URL only) is saved in `<dataDir>/connection.json` for the next
 * start; the token is kept in memory for this run only (a browser host has no OS keychain).
 */
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DeskError } from '../../shared/errors';
import { MarketplaceUrlSchema, type Connection, type ConnectionUpdate } from '../../shared/ipc/contract';
import { describeIssues } from '../../shared/ipc/dispatch';
import type { Logger } from '../backend/log';
import { connectionView, type MarketplaceTarget, type ShellHandlers } from '../backend/shell-channels';

export const CONNECTION_FILE = 'connection.json';

const ConnectionFileSchema = z.object({ version: z.literal(1), marketplaceUrl: MarketplaceUrlSchema.nullable() }).strict();

/** The saved choice; no file: the demo. An invalid file is reported and read as the demo. */
export async function loadSavedConnection(dataDir: string): Promise<{ saved: MarketplaceTarget; problem: string | null }> {
  const file = join(dataDir, CONNECTION_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { saved: { kind: 'demo' }, problem: null };
    return { saved: { kind: 'demo' }, problem: `Could not read ${file} (${error instanceof Error ? error.message : String(error)}); the demo marketplace is used.` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { saved: { kind: 'demo' }, problem: `${file} is not JSON; the demo marketplace is used.` };
  }
  const parsed = ConnectionFileSchema.safeParse(json);
  if (!parsed.success) return { saved: { kind: 'demo' }, problem: `${file} is invalid (${describeIssues(parsed.error)}); the demo marketplace is used.` };
  const url = parsed.data.marketplaceUrl;
  return { saved: url === null ? { kind: 'demo' } : { kind: 'remote', marketplaceUrl: url }, problem: null };
}

async function saveConnection(dataDir: string, saved: MarketplaceTarget): Promise<void> {
  const file = join(dataDir, CONNECTION_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  const content: z.infer<typeof ConnectionFileSchema> = { version: 1, marketplaceUrl: saved.kind === 'remote' ? saved.marketplaceUrl : null };
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

export interface HostConnectionOptions {
  dataDir: string;
  /** What this run is connected to. */
  active: Connection['active'];
  /** The token this run was started with (environment, file or stdin: see options.ts); null: none. */
  token: string | null;
  log: Logger;
}

/** The origin a token belongs to (scheme, host and port): a token is never sent to another one. */
function originOf(url: string): string {
  return new URL(url).origin;
}

export function createHostConnection(options: HostConnectionOptions): ShellHandlers {
  let sessionToken = options.token !== null && options.token !== '' ? options.token : null;
  // The token this run was started with belongs to the marketplace it was started on.
  let sessionTokenOrigin = sessionToken !== null && options.active.kind === 'remote' ? originOf(options.active.marketplaceUrl) : null;
  let tokenChangedSinceStart = false;

  async function view(): Promise<Connection> {
    const { saved, problem } = await loadSavedConnection(options.dataDir);
    if (problem !== null) options.log.warn(problem);
    return connectionView({ active: options.active, saved, tokenStored: sessionToken !== null, tokenChangedSinceStart, tokenStorage: 'session' });
  }

  async function update(input: ConnectionUpdate): Promise<Connection> {
    if (input.kind === 'remote') {
      const origin = originOf(input.marketplaceUrl);
      if (input.token !== undefined) {
        sessionToken = input.token;
        sessionTokenOrigin = origin;
        tokenChangedSinceStart = true;
      } else if (sessionToken === null) {
        throw new DeskError('token_required', 'Enter the marketplace token: none is kept for this session, and the marketplace would refuse every call without it.');
      } else if (sessionTokenOrigin !== origin) {
        throw new DeskError(
          'token_required',
          `The token of this session was entered for ${sessionTokenOrigin ?? 'another marketplace'} and is never sent to another marketplace: enter the token for ${origin}.`,
        );
      }
    }
    await saveConnection(options.dataDir, input.kind === 'remote' ? { kind: 'remote', marketplaceUrl: input.marketplaceUrl } : { kind: 'demo' });
    return view();
  }

  return {
    'connection.get': () => view(),
    'connection.update': (input) => update(input),
  };
}
