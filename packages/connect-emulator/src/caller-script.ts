/**
 * What the simulated caller does. Each input block (a Lex bot, a "Get customer input") consumes the next
 * turn; a turn with neither `say` nor `press`, or no turn left, is silence and the block times out.
 */
export interface CallerTurn {
  /** Speech: the question for a Lex bot, or talking (recorded, not recognised) before pressing keys. */
  readonly say?: string;
  /** DTMF keys pressed after speaking, for "Get customer input" and "Store customer input". */
  readonly press?: string;
  /**
   * How long each key takes, counted from the previous key (the first from when the caller starts pressing):
   * one number for every key, or one per key (missing entries take the emulator's `dtmfKeyMs`, 200 ms).
   * "Store customer input" checks these gaps against its timeouts.
   */
  readonly keyIntervalMs?: number | readonly number[];
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
  options: {
    readonly afterMs?: number;
    readonly sayingFirst?: string;
    readonly keyIntervalMs?: number | readonly number[];
  } = {},
): CallerTurn => ({
  press: keys,
  afterMs: options.afterMs ?? 0,
  ...(options.sayingFirst === undefined ? {} : { say: options.sayingFirst }),
  ...(options.keyIntervalMs === undefined ? {} : { keyIntervalMs: options.keyIntervalMs }),
});

/**
 * When each key of `turn.press` lands, in ms after the caller starts (after `afterMs` and any speech): key i
 * after the sum of the first i+1 intervals.
 */
export function keyTimesMs(turn: CallerTurn, defaultKeyMs: number): number[] {
  const keys = [...(turn.press ?? "")];
  const interval = (index: number): number => {
    const given = turn.keyIntervalMs;
    if (given === undefined) return defaultKeyMs;
    if (typeof given === "number") return given;
    return given[index] ?? defaultKeyMs;
  };
  let at = 0;
  return keys.map((_, index) => {
    at += interval(index);
    return at;
  });
}
