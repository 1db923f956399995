import { SEED_000_FLOW } from "@holdline/contact-flow/reference/seed-000-flow";
import { describe, expect, it } from "vitest";
import { ConnectEmulator } from "../../src/connect-emulator.ts";
import { callSeedFlow, SEED_PROMPT_DURATIONS_MS, seedCaller } from "../support/seed-baseline/seed-call.ts";
import { type SeedTableRequest, seedBaseline } from "../support/seed-baseline/seed-lambdas.ts";
import { eventsOf, newClock, spoken } from "./harness.ts";

const COMPLETED = "ラムダの実行が完了しました。電話を切ります。";
const PLEASE_WAIT = "少々お待ちください。";
const FAILED = "エラーとなりました。電話をきります。";

async function seedCall(modelTimeMs: number, hangUpAtMs?: number) {
  const clock = newClock();
  const { call, table } = callSeedFlow(
    clock,
    hangUpAtMs === undefined ? { modelTimeMs } : { modelTimeMs, hangUpAtMs },
  );
  const ended = await clock.run(call.ended);
  const settled = await clock.run(call.settled);
  const statuses = table.writes.map((write) => write.status);
  return { ended, settled, statuses, table };
}

const calls = (result: Awaited<ReturnType<typeof seedCall>>["ended"], name: string) =>
  eventsOf(result, "invocation").filter((event) => event.functionName === name);

describe("the seed's own flow with its two Lambdas (the baseline)", () => {
  it("announces completion at once when the work fits in the 8 s invocation", async () => {
    // Act
    const { ended, statuses } = await seedCall(1_000);

    // Assess
    expect(spoken(ended).slice(-2)).toEqual(["メッセージをお預かりしました。", COMPLETED]);
    expect(calls(ended, "lambda_execution_status_check")).toHaveLength(0);
    expect(statuses).toEqual(["in_progress", "completed"]);
  });

  it("times out after 8 s of silence, says 'please wait', and finds the status completed by polling every second", async () => {
    // Act
    const { ended } = await seedCall(12_000);

    // Assess
    const [execution] = calls(ended, "lambda_execution");
    const [check] = calls(ended, "lambda_execution_status_check");
    expect(execution?.outcome).toMatchObject({ status: "error", errorType: "timeout" });
    expect(execution!.endAt - execution!.at).toBe(8_000);
    expect(spoken(ended).slice(-2)).toEqual([PLEASE_WAIT, COMPLETED]);
    expect(check?.outcome).toMatchObject({ status: "success", response: { status: "completed" } });
    expect(ended.longestSilence?.durationMs).toBe(8_000);
  });

  it("loops twice on Compare's no-match, then takes its error path when the work is too slow", async () => {
    // Act
    const { ended } = await seedCall(60_000);

    // Assess
    expect(spoken(ended).slice(-4)).toEqual([PLEASE_WAIT, PLEASE_WAIT, PLEASE_WAIT, FAILED]);
    expect(calls(ended, "lambda_execution_status_check")).toHaveLength(3);
    expect(
      eventsOf(ended, "branch")
        .filter((event) => event.type === "Loop")
        .map((event) => event.result),
    ).toEqual(["ContinueLooping (1 of 2)", "ContinueLooping (2 of 2)", "DoneLooping"]);
  });

  it("keeps the processing Lambda running after the caller hangs up, so the status ends completed", async () => {
    // Act
    const { ended, settled, statuses, table } = await seedCall(20_000, 12_000);

    // Assess
    expect(ended.endReason).toBe("hung-up");
    expect(statuses).toEqual(["in_progress", "completed"]);
    expect(table.writes[1]!.at - settled.startedAt).toBeGreaterThan(20_000);
  });

  it("maps its handlers to the ARNs of the seed's export", () => {
    // Prepare
    const arns = SEED_000_FLOW.Actions.filter((action) => action.Type === "InvokeLambdaFunction").map(
      (action) => action.Parameters.LambdaFunctionARN,
    );

    // Act
    const mapped = Object.keys(seedBaseline(newClock()).functions);

    // Assess
    expect(mapped.sort()).toEqual([...arns].sort());
  });

  it("sends each table request through the benchmark's latency, which it spends before the request lands", async () => {
    // Prepare
    const clock = newClock();
    const requests: (SeedTableRequest & { at: number })[] = [];
    const { functions, table } = seedBaseline(clock, {
      modelTimeMs: 10_000,
      tableLatency: (request) => {
        requests.push({ ...request, at: clock.now() });
        return 10;
      },
    });
    const emulator = new ConnectEmulator({ clock, functions, promptDurationsMs: SEED_PROMPT_DURATIONS_MS });

    // Act
    await clock.run(emulator.call(SEED_000_FLOW, seedCaller()).settled);

    // Assess
    const updates = requests.filter((request) => request.operation === "update_item");
    expect(updates.map((request) => request.status)).toEqual(["in_progress", "completed"]);
    expect(requests.filter((request) => request.operation === "get_item").length).toBeGreaterThan(0);
    expect(table.writes.map((write) => write.at)).toEqual(updates.map((request) => request.at + 10));
  });
});
