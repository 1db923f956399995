import { parseStartEvent, type StartRequest } from "@holdline/adapters-connect/connect-event.parser";
import type { ConnectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import { type ConnectHandler, connectHandler } from "@holdline/composition/lambda/connect-handler";
import type { Observability } from "@holdline/composition/lambda/observability";
import type { StartExecution } from "@holdline/domain/use-cases/start-execution/start-execution.use-case";
import type { StartRole } from "./config.ts";

export interface ConnectStartDependencies {
  readonly start: StartExecution;
  readonly mapping: ConnectMappingOptions;
  readonly observability: Observability;
  readonly role: StartRole;
  /**
   * `answer`: the fast-path wait (return the answer directly if it is ready this soon). `register`: the time
   * to register and dispatch, past which what is still in flight is left to connect-answer.
   */
  readonly waitMs: number;
  readonly reserveMs: number;
}

/**
 * Connect, synchronous: registers the caller's question once (Connect's retries find it registered) and
 * dispatches the worker once.
 *
 * - `answer` role (polling): then waits briefly for a fast answer, and answers `in_progress | completed |
 *   error`. A progressive flow (it sends a cursor) is answered as soon as the first part of the answer is
 *   ready within the wait: `partial` with it.
 * - `register` role (native-async with progressive answers): answers as soon as the turn is registered and
 *   the worker dispatched, within `waitMs`, so the caller's path runs at this function's size; the flow then
 *   invokes connect-answer, which waits for the parts. A create the store has not confirmed in time is not
 *   abandoned (connect-answer registers a turn it does not find), and what the flow does next is the same
 *   whatever this answers.
 */
export const createHandler = ({
  start,
  mapping,
  observability,
  role,
  waitMs,
  reserveMs,
}: ConnectStartDependencies): ConnectHandler =>
  connectHandler<StartRequest>(
    {
      parse: (event) => parseStartEvent(event, mapping),
      run: async ({ key, input, cursor }, waitBudgetMs) =>
        role === "register"
          ? (
              await start.execute({
                key,
                input,
                fastPathWaitMs: 0,
                respondWithinMs: waitBudgetMs,
                abandonUnconfirmed: false,
              })
            ).execution
          : (
              await start.execute({
                key,
                input,
                fastPathWaitMs: waitBudgetMs,
                progressive: cursor !== undefined,
              })
            ).execution,
    },
    { mapping, observability, waitMs, reserveMs },
  );
