/** What the engine says while it works; the action maps it onto @actions/core. */
export interface Logger {
  info(message: string): void;
  debug(message: string): void;
  warning(message: string): void;
  /** A collapsible group of the lines that follow, until endGroup (the action: ::group::). */
  group?(title: string): void;
  endGroup?(): void;
}

export const silentLogger: Logger = { info() {}, debug() {}, warning() {} };
