import { net, protocol } from 'electron';
import { APP_SCHEME, createRendererHandler } from './app-scheme';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer under app://desk/ with the security headers; nothing outside it. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, createRendererHandler(rendererDir, (fileUrl) => net.fetch(fileUrl)));
}
