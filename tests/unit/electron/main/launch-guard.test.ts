import { describe, expect, it } from 'vitest';
import { debuggingSwitches, DEVELOPMENT_ONLY_ENV, launchOverrides } from '../../../../electron/main/launch-guard';

describe('debugging switches on the command line', () => {
  const exe = '/opt/Cancel Desk/cancel-desk';

  it('finds remote debugging and --inspect in every spelling Chromium and Node accept', () => {
    expect(debuggingSwitches([exe, '--remote-debugging-port=9222'], 'linux')).toEqual(['--remote-debugging-port']);
    expect(debuggingSwitches([exe, '--remote-debugging-port', '9222'], 'linux')).toEqual(['--remote-debugging-port']);
    expect(debuggingSwitches([exe, '--remote-debugging-pipe'], 'darwin')).toEqual(['--remote-debugging-pipe']);
    expect(debuggingSwitches([exe, '-remote-debugging-port=9222'], 'linux')).toEqual(['-remote-debugging-port']);
    expect(debuggingSwitches([exe, '--inspect'], 'linux')).toEqual(['--inspect']);
    expect(debuggingSwitches([exe, '--inspect-brk=0.0.0.0:9229', '--inspect-port=1'], 'linux')).toEqual(['--inspect-brk', '--inspect-port']);
    expect(debuggingSwitches([exe, '/Remote-Debugging-Port=9222', '--INSPECT'], 'win32')).toEqual(['/Remote-Debugging-Port', '--INSPECT']);
  });

  it('leaves ordinary arguments alone, and stops at a bare --', () => {
    expect(debuggingSwitches([exe], 'linux')).toEqual([]);
    expect(debuggingSwitches([exe, '--no-sandbox-please', '/remote-debugging-port', 'inspect.txt'], 'linux')).toEqual([]);
    expect(debuggingSwitches([exe, '--', '--remote-debugging-port=9222'], 'linux')).toEqual([]);
    // argv[0] is the executable, whatever its name.
    expect(debuggingSwitches(['--inspect'], 'linux')).toEqual([]);
  });
});

describe('development overrides in the environment', () => {
  const env = { CANCEL_DESK_USER_DATA: '/tmp/prepared-profile', CANCEL_DESK_MARKETPLACE_URL: 'https://evil.example/', CANCEL_DESK_UPDATE_URL: 'https://evil.example/feed/', HOME: '/home/seller' };

  it('are all honoured in a development build', () => {
    expect(launchOverrides(env, false)).toEqual({ userData: '/tmp/prepared-profile', marketplaceUrl: true, ignored: [] });
    expect(launchOverrides({}, false)).toEqual({ userData: null, marketplaceUrl: true, ignored: [] });
  });

  it('are all ignored, and named, in an installed build', () => {
    expect(launchOverrides(env, true)).toEqual({ userData: null, marketplaceUrl: false, ignored: [...DEVELOPMENT_ONLY_ENV] });
    expect(launchOverrides({ CANCEL_DESK_USER_DATA: '' }, true)).toEqual({ userData: null, marketplaceUrl: false, ignored: [] });
  });
});
