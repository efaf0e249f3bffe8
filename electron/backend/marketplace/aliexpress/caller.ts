import type { IopFile, IopParams } from './iop/encode';

/**
 * What the adapter needs of the IOP client: one business call, answered with the body inside the
 * `<method>_response` wrapper (or the root of a simplified answer), or a thrown IopError. The
 * adapter is written against this so its mapping can be tested with recorded answers;
 * `IopClient` is the real one.
 */
export interface AeCaller {
  call(method: string, params: IopParams, options?: { readonly file?: IopFile }): Promise<unknown>;
}
