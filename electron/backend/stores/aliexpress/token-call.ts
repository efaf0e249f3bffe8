import type { Clock } from '../../../../shared/domain/time';
import { DeskError } from '../../../../shared/errors';
import { IopClient } from '../../marketplace/aliexpress/iop';

/**
 * One call of AliExpress's token APIs (protocol §3.2): `/auth/token/create` with `code`, or
 * `/auth/token/refresh` with `refresh_token`; answers the flat body, or throws (an IopError from
 * the real client). A function rather than the client, so sign-in and renewal are tested with a
 * recorded stand-in.
 */
export type TokenCall = (path: '/auth/token/create' | '/auth/token/refresh', params: Record<string, string>) => Promise<Readonly<Record<string, unknown>>>;

/** The store's app, as its token calls are signed with it. */
export interface AliExpressApp {
  /** The gateway root (https://api-sg.aliexpress.com, or the local sandbox): no /sync or /rest. */
  gatewayUrl: string;
  appKey: string;
  appSecret: string;
}

/** Builds a store's TokenCall from its app (the real one is `iopTokenCall`). */
export type TokenCallFactory = (app: AliExpressApp) => TokenCall;

/** The /rest token calls never carry an access token: a source that is asked for one is a bug. */
const NO_TOKEN_FOR_TOKEN_CALLS = {
  accessToken: (): Promise<string> => Promise.reject(new DeskError('internal', 'The AliExpress token calls are signed without an access token.')),
  refresh: (): Promise<string> => Promise.reject(new DeskError('internal', 'The AliExpress token calls are signed without an access token.')),
};

/** The real TokenCall: the IOP client's signed /rest call (path in the signature, §2.1). */
export function iopTokenCall(app: AliExpressApp, environment: { clock: Clock; fetch?: typeof fetch }): TokenCall {
  const client = new IopClient({
    baseUrl: app.gatewayUrl,
    appKey: app.appKey,
    appSecret: app.appSecret,
    clock: environment.clock,
    tokens: NO_TOKEN_FOR_TOKEN_CALLS,
    ...(environment.fetch === undefined ? {} : { fetch: environment.fetch }),
  });
  return (path, params) => client.rest(path, params);
}
