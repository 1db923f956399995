export type EmulatorErrorCode =
  | "unsupported_action"
  | "unknown_action"
  | "missing_branch"
  | "no_handler"
  | "invalid_flow"
  | "flow_spins"
  | "unsupported_lex_response";

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

/** A simulated Lex turn failed (e.g. its code hook threw): Connect takes the Lex block's error branch. */
export class LexTurnFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LexTurnFailedError";
  }
}
