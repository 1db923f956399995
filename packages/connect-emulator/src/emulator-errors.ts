export type EmulatorErrorCode =
  | "unsupported_action"
  | "unknown_action"
  | "missing_branch"
  | "no_handler"
  | "invalid_flow"
  | "flow_spins";

/** The emulator cannot go on with this flow: a setup or flow bug, never a simulated Connect failure. */
export class EmulatorError extends Error {
  constructor(
    readonly code: EmulatorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "EmulatorError";
  }
}
