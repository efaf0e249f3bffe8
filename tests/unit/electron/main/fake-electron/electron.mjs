// A recording stand-in for the `electron` module: main runs against it in plain Node, and once it
// loads its window the record is printed as one stdout line for the test to read.

const record = {
  windows: [],
  ipcChannels: [],
  privilegedSchemes: [],
  protocolHandlers: [],
  webContentsEvents: [],
  guards: {},
  loadedUrls: [],
  permissionRequestAnswers: [],
  permissionCheckAnswers: [],
  singleInstanceLock: false,
};

function report() {
  process.stdout.write(`FAKE_ELECTRON_REPORT ${JSON.stringify(record)}\n`);
}

class FakeWebContents {
  handlers = new Map();
  on(event, handler) {
    record.webContentsEvents.push(event);
    this.handlers.set(event, handler);
    return this;
  }
  setWindowOpenHandler(handler) {
    record.guards.windowOpen = ['https://evil.example/', 'http://www.aliexpress.com/', 'file:///etc/passwd'].map(
      (url) => handler({ url }).action,
    );
  }
  send() {}
  isDestroyed() {
    return false;
  }
  /** Fires an event at the registered handler and tells whether it was prevented. */
  fire(event, ...args) {
    let prevented = false;
    this.handlers.get(event)?.({ preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export class BrowserWindow {
  constructor(options) {
    record.windows.push(options);
    this.webContents = new FakeWebContents();
  }
  on() {
    return this;
  }
  once() {
    return this;
  }
  show() {}
  async loadURL(url) {
    record.loadedUrls.push(url);
    record.guards.willNavigatePrevented = this.webContents.fire('will-navigate', 'https://evil.example/');
    record.guards.willAttachWebviewPrevented = this.webContents.fire('will-attach-webview', {}, {});
    report();
  }
}

export const app = {
  whenReady: () => Promise.resolve(),
  on() {
    return app;
  },
  getPath: () => process.env.FAKE_ELECTRON_USER_DATA,
  getVersion: () => '0.0.0-test',
  isPackaged: true,
  setPath() {},
  requestSingleInstanceLock() {
    record.singleInstanceLock = true;
    return true;
  },
  quit() {},
  exit(code) {
    process.exit(code);
  },
};

export const ipcMain = {
  handle(channel) {
    record.ipcChannels.push(channel);
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    record.privilegedSchemes.push(...schemes);
  },
  handle(scheme) {
    record.protocolHandlers.push(scheme);
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler) {
      for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
        handler(null, permission, (answer) => record.permissionRequestAnswers.push(answer));
      }
    },
    setPermissionCheckHandler(handler) {
      record.permissionCheckAnswers.push(handler(null, 'media'), handler(null, 'clipboard-read'));
    },
  },
};

export const net = { fetch: () => Promise.reject(new Error('not in the fake')) };
export const shell = { openExternal: () => Promise.resolve() };
export const Menu = { setApplicationMenu() {}, buildFromTemplate: (template) => template };

export default { app, BrowserWindow, ipcMain, protocol, session, net, shell, Menu };
