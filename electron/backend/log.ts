/** The backend's logger: one line per event on stderr (stdout is for a tool's own output); never tokens or buyer e-mails. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export function prefixedConsoleLogger(prefix: string): Logger {
  return {
    info: (message) => console.error(`${prefix} ${message}`),
    warn: (message) => console.warn(`${prefix} ${message}`),
    error: (message) => console.error(`${prefix} ${message}`),
  };
}
