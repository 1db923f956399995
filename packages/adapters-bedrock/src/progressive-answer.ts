import { LlmError } from "@holdline/domain/errors";
import { joinParts, PartCutter } from "@holdline/domain/execution/answer-parts";
import type { PartListener } from "@holdline/domain/ports/llm-client.port";
import { capPart, toSpeakablePart } from "./speakable.ts";

/** An odd number of fence lines: a code block is open. */
const FENCE_LINE = /^[ \t]*(?:```|~~~)/gmu;

/**
 * True while `raw` ends inside a structure that speakable.ts reads as a whole: an open code block (dropped
 * from fence to fence) or a table (its header row dropped once the separator row is seen). A part that ends
 * inside one waits for the next, so the rules see the structure in one piece.
 */
function endsInsideStructure(raw: string): boolean {
  if ((raw.match(FENCE_LINE)?.length ?? 0) % 2 === 1) return true;
  const lastLine = raw.trimEnd().split("\n").at(-1) ?? "";
  return lastLine.trimStart().startsWith("|");
}

/**
 * Progressive answers on ConverseStream: the model's text deltas cut into parts (`PartCutter`, by the request's
 * locale), each made speakable (`toSpeakablePart`) and handed to the listener the moment it is complete. The
 * length cap applies to the whole answer: the part that reaches it is cut at a sentence end (`capPart`), and
 * nothing is handed after it (`full`: the rest of the stream is not needed). A part with nothing speakable is
 * skipped. Nothing is handed once `signal` has aborted. One per `complete`; `restart` before each retry,
 * which is only allowed while nothing has been handed: a part is never handed twice.
 */
export class ProgressiveAnswer {
  private cutter: PartCutter;
  /** Raw parts waiting for a code block or table to close. */
  private held: string | undefined;
  private readonly handed: string[] = [];
  private handedChars = 0;
  private capped = false;
  private readonly separatorChars: number;

  constructor(
    private readonly locale: string,
    private readonly maxChars: number,
    private readonly listener: PartListener,
    private readonly signal: AbortSignal,
  ) {
    this.cutter = new PartCutter(locale);
    this.separatorChars = joinParts(locale, ["", ""]).length;
  }

  /** The parts handed so far, in order. */
  get parts(): readonly string[] {
    return this.handed;
  }

  /** A part has been handed: the call may no longer be retried. */
  get handedAny(): boolean {
    return this.handed.length > 0;
  }

  /** The cap was reached: nothing more will be handed, so the rest of the stream is not needed. */
  get full(): boolean {
    return this.capped;
  }

  /** Forgets a failed attempt's text, for a retry. */
  restart(): void {
    if (this.handedAny) throw new Error("a progressive answer that has handed parts cannot restart");
    this.cutter = new PartCutter(this.locale);
    this.held = undefined;
    this.capped = false;
  }

  /** The next text the model wrote. */
  push(delta: string): void {
    if (this.capped) return;
    for (const raw of this.cutter.push(delta)) this.take(raw);
  }

  /**
   * The model is done: hands what is left and returns every part. `truncated`: the model stopped at its token
   * limit, so the last sentence is dropped unless it is the answer's only one. Throws `empty_answer` when the
   * whole answer had nothing speakable in it.
   */
  end(truncated: boolean): readonly string[] {
    if (!this.capped) {
      const tail = [this.held, ...this.cutter.end()].filter((raw) => raw !== undefined).join("\n");
      this.held = undefined;
      if (tail !== "") this.hand(tail, truncated);
    }
    if (this.handed.length === 0) {
      throw new LlmError("empty_answer", "the model's answer has nothing speakable in it", {
        retryable: false,
      });
    }
    return this.handed;
  }

  private take(raw: string): void {
    const pending = this.held === undefined ? raw : `${this.held}\n${raw}`;
    if (endsInsideStructure(pending)) {
      this.held = pending;
      return;
    }
    this.held = undefined;
    this.hand(pending, false);
  }

  private hand(raw: string, truncated: boolean): void {
    if (this.capped || this.signal.aborted) return;
    const options = { locale: this.locale, truncated, afterOthers: this.handedAny };
    const speakable = toSpeakablePart(raw, options);
    if (speakable === undefined) return;
    const separator = this.handedAny ? this.separatorChars : 0;
    const part = capPart(speakable, this.maxChars - this.handedChars - separator, options);
    if (part !== speakable) this.capped = true;
    if (part === undefined) return;
    this.handed.push(part);
    this.handedChars += separator + part.length;
    this.listener(part);
  }
}
