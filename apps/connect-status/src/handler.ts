import { parseStatusEvent, type StatusRequest } from "@holdline/adapters-connect/connect-event.parser";
import type { ConnectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
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
 * terminal or the budget is spent; fails it at its deadline and re-dispatches lost work on the way.
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
      run: (command, waitBudgetMs) => check.execute({ ...command, waitBudgetMs }),
    },
    { mapping, observability, waitMs, reserveMs },
  );
