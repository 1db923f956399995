export type EmulatorErrorCode =
  | "unsupported_action"
  | "unknown_action"
  | "missing_branch"
  | "no_handler"
  | "invalid_flow"
  | "flow_spins"
  | "unsupported_lex_response"
  /** A parameter the action cannot run without is missing or has a name Connect rejects. */
  | "invalid_parameter"
  /** InvokeFlowModule names a module that was not given in `flowModules`. */
  | "no_flow_module"
  /** CheckHoursOfOperation names hours that were not given in `hoursOfOperation`. */
  | "no_hours_of_operation"
  /** The emulator's own code failed while running an action: a bug in the emulator. */
  | "internal_error";

/**
 * The emulator cannot go on with this flow: a setup or flow bug, never a simulated Connect failure. Raised by a
 * block, it ends the call with an `emulator-error` timeline event; the call's result is kept.
 */
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
