import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * design.md §1: the process boundaries are enforced by lint. Each probe is linted as if it
 * stood at that path; it must fail with the boundary rule, not for any other reason.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function boundaryMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports' || message.ruleId === 'no-restricted-globals')
    .map((message) => message.message);
}

const SHARED_PROBE = 'shared/__lint_probe__/probe.ts';
const RENDERER_PROBE = 'renderer/src/__lint_probe__/probe.ts';

describe('lint enforces the process boundaries', () => {
  it.each([
    ['imports electron', "import { app } from 'electron';\nexport const x = app;", 'Electron'],
    ['imports vue', "import { ref } from 'vue';\nexport const x = ref(1);", 'Vue'],
    ['imports dexie', "import Dexie from 'dexie';\nexport const x = Dexie;", 'Dexie'],
    ['imports node:fs', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", 'Node'],
    ['imports the backend', "import { createBackend } from '../../electron/backend';\nexport const x = createBackend;", 'outside shared'],
    ['uses document', 'export const title = document.title;', 'DOM'],
  ])('a shared/ file that %s fails', async (_label, code, expected) => {
    const messages = await boundaryMessages(SHARED_PROBE, code);
    expect(messages.join('\n')).toContain(expected);
  });

  it.each([
    ['imports electron', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;", 'window.desk'],
    ['imports the backend', "import { createBackend } from '../../../electron/backend';\nexport const x = createBackend;", 'electron/'],
    ['imports the host', "import { startHost } from '../../../electron/host/server';\nexport const x = startHost;", 'electron/'],
    ['imports node:fs', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;", 'No Node'],
  ])('a renderer file that %s fails', async (_label, code, expected) => {
    const messages = await boundaryMessages(RENDERER_PROBE, code);
    expect(messages.join('\n')).toContain(expected);
  });

  it('a shared/ file that imports only shared/ and zod passes', async () => {
    const messages = await boundaryMessages(SHARED_PROBE, "import { z } from 'zod';\nimport { VIEW_IDS } from '../domain/views';\nexport const s = z.enum(VIEW_IDS);");
    expect(messages).toEqual([]);
  });

  it('the backend may import neither electron nor the demo marketplace', async () => {
    const probe = 'electron/backend/__lint_probe__/probe.ts';
    expect((await boundaryMessages(probe, "import { app } from 'electron';\nexport const x = app;")).join('\n')).toContain('never imports Electron');
    expect(
      (await boundaryMessages(probe, "import { createSimulator } from '../../simulator/server';\nexport const x = createSimulator;")).join('\n'),
    ).toContain('only on shared/');
  });
});
