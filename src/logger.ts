/** What the engine says while it works; the action maps it onto @actions/core. */
export interface Logger {
  info(message: string): void;
  debug(message: string): void;
  warning(message: string): void;
}

export const silentLogger: Logger = { info() {}, debug() {}, warning() {} };
