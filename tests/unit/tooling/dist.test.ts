import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD_MAC_SIGNED_VAR, BUILD_PUBLIC_KEY_VAR, distPlan } from '../../../scripts/dist';
import { generateUpdateKey } from '../../../scripts/sign-update';

describe('what `npm run dist` builds into the app (scripts/dist.ts)', () => {
  it('builds in the update public key, and refuses a malformed one', async () => {
    const publicKey = await generateUpdateKey(join(await mkdtemp(join(tmpdir(), 'desk-key-')), 'k.pem'));
    const plan = distPlan({ CANCEL_DESK_UPDATE_URL: 'https://updates.example/desk/', CANCEL_DESK_UPDATE_PUBLIC_KEY: publicKey }, 'linux');
    expect(plan.problem).toBeNull();
    expect(plan.publishArgs).toEqual(['-c.publish.provider=generic', '-c.publish.url=https://updates.example/desk/']);
    expect(plan.buildEnv[BUILD_PUBLIC_KEY_VAR]).toBe(publicKey);
    expect(distPlan({ CANCEL_DESK_UPDATE_PUBLIC_KEY: 'not a key' }, 'linux').problem).toMatch(/CANCEL_DESK_UPDATE_PUBLIC_KEY: .*32-byte/);
  });

  it('bakes in nothing stray from the shell, and says when Linux copies cannot install updates', () => {
    const plan = distPlan({ CANCEL_DESK_UPDATE_URL: 'https://updates.example/', [BUILD_PUBLIC_KEY_VAR]: 'stray', [BUILD_MAC_SIGNED_VAR]: '1' }, 'linux');
    expect(plan.buildEnv).not.toHaveProperty(BUILD_PUBLIC_KEY_VAR);
    expect(plan.buildEnv[BUILD_MAC_SIGNED_VAR]).toBe('0');
    expect(plan.notes.join('\n')).toContain('Linux copies will offer updates as downloads and install none');
  });

  it('marks a macOS build signed only when it is built with a signing identity', () => {
    expect(distPlan({ CSC_LINK: '/certs/developer-id.p12' }, 'darwin').buildEnv[BUILD_MAC_SIGNED_VAR]).toBe('1');
    expect(distPlan({ CSC_NAME: 'Developer ID Application: Cancel Desk Ltd' }, 'darwin').buildEnv[BUILD_MAC_SIGNED_VAR]).toBe('1');
    expect(distPlan({}, 'darwin').buildEnv[BUILD_MAC_SIGNED_VAR]).toBe('0');
    // A certificate for Windows does not make a Linux or Windows build "mac signed".
    expect(distPlan({ CSC_LINK: '/certs/win.pfx' }, 'win32').buildEnv[BUILD_MAC_SIGNED_VAR]).toBe('0');
  });

  it('refuses an insecure feed', () => {
    expect(distPlan({ CANCEL_DESK_UPDATE_URL: 'http://updates.example/' }, 'linux').problem).toMatch(/https/);
  });
});
