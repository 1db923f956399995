import {
  asLambdaFunction,
  functionName,
  type LambdaFunctions,
} from "@holdline/connect-emulator/lambda-function";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type { BilledInvocation, LambdaArchitecture } from "./cost-model.ts";

export interface FunctionSize {
  readonly memoryMb: number;
  readonly architecture: LambdaArchitecture;
}

/** One handler run: when Lambda started it and when it ended (clock ms), with the size it is billed at. */
export interface HandlerRun extends FunctionSize {
  readonly functionName: string;
  readonly startedAt: number;
  endedAt?: number;
}

export interface MeteringOptions {
  readonly clock: Clock;
  /** One leg of the Connect ↔ Lambda round trip, drawn per leg. */
  readonly legMs: () => number;
  readonly sizeOf: (functionName: string) => FunctionSize;
  /** Every handler run is appended here, still running ones included. */
  readonly runs: HandlerRun[];
}

/**
 * Connect's functions with the Connect ↔ Lambda round trip around each handler: one leg before it starts,
 * one after it returns or throws (the emulator's own overheads are then set to zero). Each run is recorded
 * for Lambda's bill: requests and the handler's duration, which keeps counting after Connect stopped
 * waiting, as Lambda's does.
 */
export function meteredFunctions(functions: LambdaFunctions, options: MeteringOptions): LambdaFunctions {
  const { clock, legMs, sizeOf, runs } = options;
  return Object.fromEntries(
    Object.entries(functions).map(([arn, entry]) => {
      const fn = asLambdaFunction(entry);
      const name = functionName(arn);
      return [
        arn,
        {
          ...fn,
          handler: async (event, context) => {
            await clock.sleep(legMs());
            const run: HandlerRun = { functionName: name, startedAt: clock.now(), ...sizeOf(name) };
            runs.push(run);
            try {
              return await fn.handler(event, context);
            } finally {
              run.endedAt = clock.now();
              await clock.sleep(legMs());
            }
          },
        },
      ];
    }),
  );
}

/** A finished run as Lambda bills it; a run that never ended (its process hung) is left out. */
export const billed = (runs: readonly HandlerRun[]): BilledInvocation[] =>
  runs.flatMap((run) =>
    run.endedAt === undefined
      ? []
      : [{ memoryMb: run.memoryMb, architecture: run.architecture, durationMs: run.endedAt - run.startedAt }],
  );
