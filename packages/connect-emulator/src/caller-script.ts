/**
 * What the simulated caller does. Each input block (a Lex bot, a "Get customer input") consumes the next
 * turn; a turn with neither `say` nor `press`, or no turn left, is silence and the block times out.
 */
export interface CallerTurn {
  /** Speech: the question for a Lex bot, or talking (recorded, not recognised) before pressing keys. */
  readonly say?: string;
  /** DTMF keys pressed after speaking, for "Get customer input". */
  readonly press?: string;
  /** How long the caller takes to start after the prompt ends (default 0). */
  readonly afterMs?: number;
  /** Skip the Lex simulation: the intent Lex recognises for this turn. */
  readonly intent?: string;
  /** With `intent`: the session attributes Lex returns. */
  readonly sessionAttributes?: Readonly<Record<string, string>>;
  /** How sure Lex is of the speech (0–1), handed to a code hook as `transcriptionConfidence`. */
  readonly confidence?: number;
}

export interface CallerScript {
  readonly turns?: readonly CallerTurn[];
  /** The caller hangs up this long after the call starts: the flow stops, background work does not. */
  readonly hangUpAtMs?: number;
}

/** A turn in which the caller says nothing. */
export const silence: CallerTurn = {};

export const say = (utterance: string, afterMs = 0): CallerTurn => ({ say: utterance, afterMs });

export const press = (
  keys: string,
  options: { readonly afterMs?: number; readonly sayingFirst?: string } = {},
): CallerTurn => ({
  press: keys,
  afterMs: options.afterMs ?? 0,
  ...(options.sayingFirst === undefined ? {} : { say: options.sayingFirst }),
});
