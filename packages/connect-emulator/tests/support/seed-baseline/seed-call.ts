/**
 * BASELINE FIXTURES — NOT PRODUCT CODE. A caller for the seed's flow: after "発話後、1を入力ください。" and
 * the beep, they leave their message (recorded by the media-streaming block) and press 1.
 */
import { SEED_000_FLOW } from "@holdline/contact-flow/reference/seed-000-flow";
import type { Clock } from "@holdline/domain/ports/clock.port";
import { type CallerScript, press } from "../../../src/caller-script.ts";
import {
  ConnectEmulator,
  type ConnectEmulatorOptions,
  type EmulatedCall,
} from "../../../src/connect-emulator.ts";
import { type SeedStatusTable, seedBaseline } from "./seed-lambdas.ts";

/** The beep the seed plays from its prompt library (`Beep.wav`). */
export const SEED_PROMPT_DURATIONS_MS: Readonly<Record<string, number>> = {
  "54bb3277-0484-45eb-bdc7-2e0b1af31b5c": 500,
};

export const seedCaller = (
  message = "明日の予約を変更したいです。",
  options: { readonly hangUpAtMs?: number } = {},
): CallerScript => ({
  turns: [press("1", { sayingFirst: message, afterMs: 500 })],
  ...(options.hangUpAtMs === undefined ? {} : { hangUpAtMs: options.hangUpAtMs }),
});

export interface SeedCallOptions extends Partial<Omit<ConnectEmulatorOptions, "clock" | "functions">> {
  /** How long `lambda_execution`'s "slow work" takes. */
  readonly modelTimeMs?: number;
  readonly hangUpAtMs?: number;
}

/** Runs the seed's own flow with its two Lambdas: the baseline call. */
export function callSeedFlow(
  clock: Clock,
  options: SeedCallOptions = {},
): { readonly call: EmulatedCall; readonly table: SeedStatusTable } {
  const { modelTimeMs, hangUpAtMs, ...emulatorOptions } = options;
  const baseline = seedBaseline(clock, modelTimeMs === undefined ? {} : { modelTimeMs });
  const emulator = new ConnectEmulator({
    promptDurationsMs: SEED_PROMPT_DURATIONS_MS,
    ...emulatorOptions,
    clock,
    functions: baseline.functions,
  });
  const call = emulator.call(
    SEED_000_FLOW,
    seedCaller(undefined, hangUpAtMs === undefined ? {} : { hangUpAtMs }),
  );
  return { call, table: baseline.table };
}
