import type { IncomingMessage } from 'node:http';
import type { Reply } from './http';

/** The routing vocabulary shared by the simulator's route tables (server.ts and its helpers). */

/** Which token a route needs: none, the marketplace token, or the admin token. */
export type Auth = 'none' | 'token' | 'admin';

export interface RouteContext {
  readonly request: IncomingMessage;
  readonly url: URL;
  readonly params: readonly string[];
  /** The JSON body (`{}` when empty); 400 when it is not JSON. */
  readonly body: () => Promise<unknown>;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly auth: Auth;
  /** Subject to fault injection (the /v1 API except health). */
  readonly faulty: boolean;
  /**
   * A seller action: it waits its latency inside its idempotency claim (so "in flight" is real),
   * and only its answer can be lost (the lost-answer fault).
   */
  readonly sellerAction?: boolean;
  readonly handle: (context: RouteContext) => Reply | Promise<Reply>;
}
