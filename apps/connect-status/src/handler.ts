import { parseStatusEvent, type StatusRequest } from "@holdline/adapters-connect/connect-event.parser";
import type { ConnectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import { inProgressView } from "@holdline/adapters-connect/connect-view";
import { StoreUnavailableError } from "@holdline/domain/errors";
import type { CheckExecution } from "@holdline/domain/use-cases/check-execution/check-execution.use-case";
import { type ConnectHandler, connectHandler } from "@holdline/composition/lambda/connect-handler";
import type { Observability } from "@holdline/composition/lambda/observability";

export interface ConnectStatusDependencies {
  readonly check: CheckExecution;
  readonly mapping: ConnectMappingOptions;
  readonly observability: Observability;
  /** Long-poll budget: short enough that the caller's silence stays under the gap. */
  readonly waitMs: number;
  readonly reserveMs: number;
}

/**
 * Connect, synchronous: long-polls the execution of this (contact, turn) and answers as soon as it is
 * terminal or the budget is spent; fails it at its deadline and re-dispatches lost work on the way. A
 * progressive flow sends the cursor (parts the caller has heard): the poll then also ends as soon as the answer
 * has parts past it, answered `partial` with those parts.
 *
 * The flow asks for a status only after connect-start answered `in_progress`, so the execution is known to
 * be registered: a store that does not answer within the wait is answered `in_progress` (the caller hears
 * the next filler and the flow asks again), not an error the answer could follow. The flow's Loop block
 * bounds how long that can go on if the store never comes back.
 */
export const createHandler = ({
  check,
  mapping,
  observability,
  waitMs,
  reserveMs,
}: ConnectStatusDependencies): ConnectHandler =>
  connectHandler<StatusRequest>(
    {
      parse: (event) => parseStatusEvent(event, mapping),
      run: async (command, waitBudgetMs) => {
        try {
          return await check.execute({ ...command, waitBudgetMs });
        } catch (error) {
          if (!(error instanceof StoreUnavailableError)) throw error;
          return inProgressView(command.key.turn, command.cursor);
        }
      },
    },
    { mapping, observability, waitMs, reserveMs },
  );
