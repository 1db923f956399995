import { parseStartEvent, type StartRequest } from "@holdline/adapters-connect/connect-event.parser";
import type { ConnectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import type { StartExecution } from "@holdline/domain/use-cases/start-execution/start-execution.use-case";
import { type ConnectHandler, connectHandler } from "@holdline/composition/lambda/connect-handler";
import type { Observability } from "@holdline/composition/lambda/observability";

export interface ConnectStartDependencies {
  readonly start: StartExecution;
  readonly mapping: ConnectMappingOptions;
  readonly observability: Observability;
  /** Fast-path wait: return the answer directly if it is ready this soon. */
  readonly waitMs: number;
  readonly reserveMs: number;
}

/**
 * Connect, synchronous: registers the caller's question once (Connect's retries find it registered),
 * dispatches the worker once, waits briefly for a fast answer, and answers `in_progress | completed | error`.
 * A progressive flow (it sends a cursor) is answered as soon as the first part of the answer is ready within
 * the wait: `partial` with it.
 */
export const createHandler = ({
  start,
  mapping,
  observability,
  waitMs,
  reserveMs,
}: ConnectStartDependencies): ConnectHandler =>
  connectHandler<StartRequest>(
    {
      parse: (event) => parseStartEvent(event, mapping),
      run: async ({ key, input, cursor }, fastPathWaitMs) =>
        (await start.execute({ key, input, fastPathWaitMs, progressive: cursor !== undefined })).execution,
    },
    { mapping, observability, waitMs, reserveMs },
  );
