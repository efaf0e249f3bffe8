/**
 * What `npm run dist` builds into the main bundle: scripts/dist.ts sets MAIN_VITE_* variables for
 * electron-vite, which writes their values into the code at build time (inside the integrity-
 * checked app.asar, not in a file beside it). In any other build they are absent.
 */
declare global {
  interface ImportMetaEnv {
    /** Base64 of the raw Ed25519 public key Linux updates must be signed with (update-signature.ts). */
    readonly MAIN_VITE_UPDATE_PUBLIC_KEY?: string;
    /** '1' when the macOS build was code-signed with a Developer ID. */
    readonly MAIN_VITE_MAC_SIGNED?: string;
  }
  interface ImportMeta {
    readonly env: ImportMetaEnv;
  }
}

export interface BuildInfo {
  updatePublicKey: string | undefined;
  macSigned: boolean;
}

export const BUILD_INFO: BuildInfo = {
  updatePublicKey: import.meta.env.MAIN_VITE_UPDATE_PUBLIC_KEY,
  macSigned: import.meta.env.MAIN_VITE_MAC_SIGNED === '1',
};
