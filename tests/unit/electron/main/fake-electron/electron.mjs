// A recording stand-in for the `electron` module: main runs against it in plain Node. Once main
// loads its window, the fake probes what main installed (guards, IPC sender checks, the menu, the
// app:// handler, asked for real files and for hostile paths; net.fetch reads file:// URLs) and
// prints the record as one stdout line for the test to read; later happenings (badge counts,
// notifications, the quit sequence) are printed as their own lines.
//
// Driven by the environment:
//   FAKE_ELECTRON_USER_DATA   the userData path
//   FAKE_ELECTRON_LOCK=taken  another instance holds the single-instance lock
//   FAKE_ELECTRON_QUIT_ON_BADGE=1  ask the app to quit once the badge shows a count above zero
//   FAKE_ELECTRON_PACKAGED=0  a development build (app.isPackaged false); an installed one otherwise
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const record = {
  sandboxEnabled: false,
  singleInstanceLock: null,
  appEvents: [],
  windows: [],
  ipcChannels: [],
  privilegedSchemes: [],
  protocolHandlers: [],
  schemeAnswers: null,
  netFetches: [],
  webContentsEvents: [],
  guards: {},
  laterWebContents: {},
  loadedUrls: [],
  permissionRequestAnswers: [],
  permissionCheckAnswers: [],
  devicePermissionAnswers: [],
  displayMediaAnswers: [],
  laterSessionPermissionAnswers: [],
  senderChecks: {},
  menu: null,
  menuClick: null,
  /** app.setPath calls, in order. */
  setPaths: [],
  /** What app.info answered the window's own top frame. */
  appInfo: null,
};

function print(kind, value) {
  process.stdout.write(`FAKE_ELECTRON_${kind} ${JSON.stringify(value)}\n`);
}

/** The menu template as data (click handlers dropped, a flag kept that there was one). */
function serialiseMenu(items) {
  return items.map((item) => {
    const { click, submenu, ...rest } = item;
    return { ...rest, hasClick: typeof click === 'function', ...(Array.isArray(submenu) ? { submenu: serialiseMenu(submenu) } : {}) };
  });
}

class FakeWebContents extends EventEmitter {
  sent = [];
  windowOpenHandler = null;
  mainFrame = { url: 'app://desk/index.html', parent: null };
  constructor(recordEvents) {
    super();
    this.recordEvents = recordEvents;
  }
  on(event, handler) {
    if (this.recordEvents) record.webContentsEvents.push(event);
    return super.on(event, handler);
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  send(channel, payload) {
    this.sent.push({ channel, payload });
  }
  isDestroyed() {
    return false;
  }
  /** Fires an event at the registered handlers and tells whether one prevented it. */
  fire(event, extra = {}) {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true), ...extra }, 'https://evil.example/');
    return prevented;
  }
  probeGuards() {
    return {
      willNavigatePrevented: this.fire('will-navigate'),
      willRedirectPrevented: this.fire('will-redirect'),
      willAttachWebviewPrevented: this.fire('will-attach-webview'),
      subframeNavigationPrevented: this.fire('will-frame-navigate', { isMainFrame: false, url: 'https://evil.example/' }),
      windowOpen: ['https://evil.example/', 'http://www.aliexpress.com/', 'file:///etc/passwd', 'https://www.aliexpress.com/item/1.html'].map(
        (url) => this.windowOpenHandler?.({ url }).action ?? 'no handler',
      ),
    };
  }
}

const appEmitter = new EventEmitter();
let quitRequested = false;

export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    record.windows.push(options);
    this.webContents = new FakeWebContents(true);
    appEmitter.emit('web-contents-created', {}, this.webContents);
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  isMaximized() {
    return false;
  }
  isFullScreen() {
    return false;
  }
  getNormalBounds() {
    const { x = 0, y = 0, width, height } = record.windows[0];
    return { x, y, width, height };
  }
  restore() {}
  show() {}
  focus() {}
  maximize() {}
  setFullScreen() {}
  async loadURL(url) {
    record.loadedUrls.push(url);
    record.guards = this.webContents.probeGuards();

    // A web contents created later (by a bug, a devtools extension...) is guarded too.
    const later = new FakeWebContents(false);
    appEmitter.emit('web-contents-created', {}, later);
    record.laterWebContents = later.probeGuards();

    // A session created later denies permissions as well.
    const laterSession = makeSession(record.laterSessionPermissionAnswers);
    appEmitter.emit('session-created', laterSession);

    // The handler main registered for app:// is asked what the renderer (and an attacker) would ask.
    record.schemeAnswers = await probeScheme();

    // The sender check in front of every channel.
    const handler = ipcHandlers.get('app.info');
    const ask = async (event) => {
      const answer = await handler(event, {});
      return answer.ok ? 'ok' : answer.error.code;
    };
    const own = this.webContents;
    const ownAnswer = await handler({ sender: own, senderFrame: { url: 'app://desk/index.html', parent: null } }, {});
    record.appInfo = ownAnswer.ok ? ownAnswer.value : null;
    record.senderChecks = {
      ownWindowTopFrame: ownAnswer.ok ? 'ok' : ownAnswer.error.code,
      otherWebContents: await ask({ sender: new FakeWebContents(false), senderFrame: { url: 'app://desk/index.html', parent: null } }),
      foreignOrigin: await ask({ sender: own, senderFrame: { url: 'https://evil.example/index.html', parent: null } }),
      lookalikeOrigin: await ask({ sender: own, senderFrame: { url: 'app://desk.evil/index.html', parent: null } }),
      subFrame: await ask({ sender: own, senderFrame: { url: 'app://desk/index.html', parent: {} } }),
      destroyedFrame: await ask({ sender: own, senderFrame: null }),
    };

    // Choosing a menu item sends its command id to the renderer.
    const palette = findMenuItem(record.menuTemplate ?? [], 'app.palette');
    palette?.click?.();
    record.menuClick = this.webContents.sent.find((message) => message.channel === 'desk-event:command.invoke') ?? null;
    delete record.menuTemplate;

    print('REPORT', record);
  }
}

async function probeScheme() {
  const handler = protocolHandlerFns.get('app');
  if (handler === undefined) return null;
  const ask = async (url) => {
    const response = await handler(new Request(url));
    const body = await response.text();
    return {
      status: response.status,
      csp: response.headers.get('content-security-policy'),
      nosniff: response.headers.get('x-content-type-options'),
      contentType: response.headers.get('content-type'),
      bytes: body.length,
      body: body.slice(0, 4000),
    };
  };
  const index = await ask('app://desk/');
  const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(index.body)?.[1];
  const answers = {
    index,
    script: script === undefined ? null : await ask(`app://desk/${script}`),
    traversal: await ask('app://desk/..%2fmain%2findex.js'),
    backslashTraversal: await ask('app://desk/..%5cmain%5cindex.js'),
    otherHost: await ask('app://evil/index.html'),
    malformedEscape: await ask('app://desk/%E0%A4%A'),
    missing: await ask('app://desk/assets/missing.js'),
    directory: await ask('app://desk/assets'),
  };
  // Only the page's text is worth reporting; the rest is judged by status and headers.
  for (const [name, answer] of Object.entries(answers)) if (name !== 'index' && answer !== null) delete answer.body;
  return answers;
}

function findMenuItem(items, id) {
  for (const item of items) {
    if (item.id === id) return item;
    const inner = Array.isArray(item.submenu) ? findMenuItem(item.submenu, id) : null;
    if (inner) return inner;
  }
  return null;
}

let beforeQuitRounds = 0;
export const app = {
  whenReady: () => Promise.resolve(),
  on(event, listener) {
    record.appEvents.push(event);
    appEmitter.on(event, listener);
    return app;
  },
  getPath: () => process.env.FAKE_ELECTRON_USER_DATA,
  getVersion: () => '0.0.0-test',
  getName: () => 'Cancel Desk',
  isPackaged: process.env.FAKE_ELECTRON_PACKAGED !== '0',
  setPath(name, path) {
    record.setPaths.push({ name, path });
  },
  enableSandbox() {
    record.sandboxEnabled = true;
  },
  requestSingleInstanceLock() {
    record.singleInstanceLock = process.env.FAKE_ELECTRON_LOCK !== 'taken';
    return record.singleInstanceLock;
  },
  setBadgeCount(count) {
    print('BADGE', count);
    if (count > 0 && process.env.FAKE_ELECTRON_QUIT_ON_BADGE === '1' && !quitRequested) {
      quitRequested = true;
      app.quit();
    }
    return true;
  },
  quit() {
    // Electron emits before-quit; a listener that prevents it keeps the app running.
    beforeQuitRounds += 1;
    let prevented = false;
    appEmitter.emit('before-quit', { preventDefault: () => (prevented = true) });
    print('QUIT', { round: beforeQuitRounds, prevented });
    if (!prevented) {
      print('EXIT', { record: beforeQuitRounds === 1 ? record : null });
      process.exit(0);
    }
  },
  exit(code) {
    print('APP_EXIT', { code, record });
    process.exit(code);
  },
};

const ipcHandlers = new Map();
export const ipcMain = {
  handle(channel, handler) {
    record.ipcChannels.push(channel);
    ipcHandlers.set(channel, handler);
  },
};

const protocolHandlerFns = new Map();
export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    record.privilegedSchemes.push(...schemes);
  },
  handle(scheme, handler) {
    record.protocolHandlers.push(scheme);
    protocolHandlerFns.set(scheme, handler);
  },
};

function makeSession(requestAnswers, checkAnswers = [], deviceAnswers = [], displayAnswers = []) {
  return {
    setPermissionRequestHandler(handler) {
      for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
        handler(null, permission, (answer) => requestAnswers.push(answer));
      }
    },
    setPermissionCheckHandler(handler) {
      checkAnswers.push(handler(null, 'media'), handler(null, 'clipboard-read'));
    },
    setDevicePermissionHandler(handler) {
      deviceAnswers.push(handler({ deviceType: 'usb' }), handler({ deviceType: 'hid' }));
    },
    setDisplayMediaRequestHandler(handler) {
      handler({}, (streams) => displayAnswers.push(streams));
    },
  };
}

export const session = {
  defaultSession: makeSession(record.permissionRequestAnswers, record.permissionCheckAnswers, record.devicePermissionAnswers, record.displayMediaAnswers),
};

const display = { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 }, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };
export const screen = {
  getPrimaryDisplay: () => display,
  getAllDisplays: () => [display],
};

export const Menu = {
  buildFromTemplate: (template) => template,
  setApplicationMenu(template) {
    record.menu = serialiseMenu(template);
    record.menuTemplate = template;
  },
};

export class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(options) {
    super();
    this.options = options;
  }
  show() {
    print('NOTIFICATION', this.options);
  }
}

// No keychain in the smoke test: the secret store must refuse rather than store plain text.
export const safeStorage = {
  isAsyncEncryptionAvailable: () => Promise.resolve(false),
  encryptStringAsync: () => Promise.reject(new Error('not in the fake')),
  decryptStringAsync: () => Promise.reject(new Error('not in the fake')),
  getSelectedStorageBackend: () => 'basic_text',
};

// Electron's net.fetch reads file:// URLs: so does the fake (recording which, relative to the cwd).
export const net = {
  async fetch(url) {
    if (!String(url).startsWith('file:')) throw new Error(`net.fetch of ${url} is not in the fake`);
    const path = fileURLToPath(url);
    record.netFetches.push(relative(process.cwd(), path).split('\\').join('/'));
    return new Response(await readFile(path));
  },
};
export const shell = {
  openExternal(url) {
    print('OPEN_EXTERNAL', url);
    return Promise.resolve();
  },
};

export default { app, BrowserWindow, ipcMain, protocol, session, screen, net, shell, Menu, Notification, safeStorage };
