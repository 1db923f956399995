import { seededRandom } from "@holdline/connect-emulator/seeded-random";
import { describe, expect, it } from "vitest";
import { emulate } from "./emulate-process.ts";

/**
 * The options that give the emulator what lies beside the flow (other flows, modules, hours, queues) and its
 * switches (the seed, the keep-running Wait's readings, the start time), on console-shaped flows written for
 * these tests (tests/fixtures/flows/). Each test fails without its option.
 */

const FLOWS = "packages/emulate/tests/fixtures/flows";
const ANSWER = "packages/emulate/tests/fixtures/answer.mjs";
const INSTANCE = "arn:aws:connect:eu-west-1:111122223333:instance/5b0e6a8e-3c1f-4d7a-9a52-0f2c7d9e41aa";
const CONFIRMATION = `${INSTANCE}/contact-flow/bad078eb-8903-51bf-9904-f5bdf507d3fb`;
const GREETING_MODULE = `${INSTANCE}/flow-module/c1b419c7-56e7-5b56-84be-2d9854bdd64f`;
const HOURS_ID = "2710b899-bab3-55c4-bcfe-c09791687f88";
const QUEUE = `${INSTANCE}/queue/fcaa6310-908b-5893-9f75-fadf9d04c07a`;

interface Timeline {
  readonly exitCode: number;
  readonly endReason: string;
  readonly startedAt: string;
  readonly timeline: readonly {
    kind: string;
    at: number;
    endAt?: number;
    text?: string;
    type?: string;
    result?: string;
    interrupted?: boolean;
  }[];
}

/** `pnpm emulate … --json`, parsed, with the exit code and stderr. */
async function emulateJson(...args: string[]) {
  const run = await emulate(...args, "--json");
  return { ...run, result: JSON.parse(run.stdout) as Timeline };
}

const spoken = (result: Timeline) =>
  result.timeline.flatMap((event) => (event.kind === "prompt" ? [event.text] : []));

describe("pnpm emulate: other flows and Connect resources", { timeout: 30_000 }, () => {
  describe("--flow", () => {
    const flow = `${FLOWS}/transfer.flow.json`;
    const target = `${CONFIRMATION}=${FLOWS}/confirmation.flow.json`;

    it.concurrent("without it, TransferToFlow ends the call as a transfer out of the emulator", async () => {
      const { code, result } = await emulateJson(flow);

      expect(code).toBe(0);
      expect(result.endReason).toBe("transferred");
      expect(spoken(result)).toEqual(["Welcome to Fernhill."]);
    });

    it.concurrent("runs the flow TransferToFlow names (by ARN), with its Lambda function", async () => {
      const { code, result } = await emulateJson(
        flow,
        "--flow",
        target,
        "--lambda",
        `fernhill-confirm=${ANSWER}`,
      );

      expect(code).toBe(0);
      expect(result.endReason).toBe("disconnected");
      expect(spoken(result)).toEqual(["Welcome to Fernhill.", "Your order is ready."]);
    });

    it.concurrent("matches the flow by its id, and shows it in the setup", async () => {
      const { code, stdout } = await emulate(
        flow,
        "--flow",
        `bad078eb-8903-51bf-9904-f5bdf507d3fb=${FLOWS}/confirmation.flow.json`,
        "--lambda",
        `fernhill-confirm=${ANSWER}`,
      );

      expect(code).toBe(0);
      expect(stdout).toMatch(/flow {4}bad078eb-8903-51bf-9904-f5bdf507d3fb → .*confirmation\.flow\.json/);
      expect(stdout).toMatch(/SAYS {2}"Your order is ready\."/);
    });

    it.concurrent("exits 2 naming the ARN and the file when that flow's Lambda has no --lambda", async () => {
      const { code, stdout, stderr } = await emulate(flow, "--flow", target);

      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toContain("no --lambda mapping");
      expect(stderr).toMatch(
        /arn:aws:lambda:eu-west-1:111122223333:function:fernhill-confirm {2}\(.*confirmation\.flow\.json: Confirm order\)/,
      );
    });
  });

  describe("--module", () => {
    const flow = `${FLOWS}/module.flow.json`;

    it.concurrent("without it, exits 2 naming the module and the option", async () => {
      const { code, stdout } = await emulate(flow);

      expect(code).toBe(2);
      expect(stdout).toMatch(/no_flow_module.*c1b419c7-56e7-5b56-84be-2d9854bdd64f/);
      expect(stdout).toContain("--module <id-or-arn>=<file.json>");
    });

    it.concurrent("runs the module InvokeFlowModule names, then goes on in the flow", async () => {
      const { code, result } = await emulateJson(
        flow,
        "--module",
        `${GREETING_MODULE}=${FLOWS}/greeting.module.json`,
      );

      expect(code).toBe(0);
      expect(spoken(result)).toEqual(["Hello from the module.", "Back in the main flow."]);
    });
  });

  describe("--hours and --at", () => {
    const flow = `${FLOWS}/hours.flow.json`;
    const hours = `${HOURS_ID}=${FLOWS}/support-hours.json`;

    it.concurrent("takes True inside the hours (Monday 9:30 in Berlin), and starts the call then", async () => {
      const { code, result } = await emulateJson(flow, "--hours", hours, "--at", "2025-06-02T09:30:00+02:00");

      expect(code).toBe(0);
      expect(result.startedAt).toBe("2025-06-02T07:30:00.000Z");
      expect(result.timeline).toContainEqual(
        expect.objectContaining({ kind: "branch", result: "True (MONDAY 09:30 Europe/Berlin)" }),
      );
      expect(spoken(result)).toEqual(["We are open."]);
    });

    it.concurrent("takes False outside the hours (Monday 8:30, Saturday noon)", async () => {
      const early = await emulateJson(flow, "--hours", hours, "--at", "2025-06-02T08:30:00+02:00");
      const saturday = await emulateJson(flow, "--hours", hours, "--at", "2025-06-07T10:00Z");

      expect(spoken(early.result)).toEqual(["We are closed."]);
      expect(spoken(saturday.result)).toEqual(["We are closed."]);
      expect(saturday.result.timeline).toContainEqual(
        expect.objectContaining({ kind: "branch", result: "False (SATURDAY 12:00 Europe/Berlin)" }),
      );
    });

    it.concurrent("without --hours, exits 2 naming the hours and the option", async () => {
      const { code, stdout } = await emulate(flow, "--at", "2025-06-02T09:30:00+02:00");

      expect(code).toBe(2);
      expect(stdout).toMatch(/no_hours_of_operation/);
      expect(stdout).toContain("--hours <id-or-arn>=<file.json>");
    });

    it.concurrent("exits 2 on an hours file that is not DescribeHoursOfOperation's shape", async () => {
      const { code, stderr } = await emulate(flow, "--hours", `${HOURS_ID}=${FLOWS}/split.flow.json`);

      expect(code).toBe(2);
      expect(stderr).toMatch(/split\.flow\.json: "TimeZone" must be an IANA time zone/);
    });
  });

  describe("--queue-full", () => {
    const flow = `${FLOWS}/queue.flow.json`;

    it.concurrent("without it, the contact is queued: a transfer out of the emulator", async () => {
      const { code, result } = await emulateJson(flow);

      expect(code).toBe(0);
      expect(result.endReason).toBe("transferred");
      expect(spoken(result)).toEqual([]);
    });

    it.concurrent("takes QueueAtCapacity for the queue named by the console's metadata, or by ARN", async () => {
      const byName = await emulateJson(flow, "--queue-full", "Fixture support");
      const byArn = await emulateJson(flow, "--queue-full", QUEUE);

      for (const { code, result, stderr } of [byName, byArn]) {
        expect(code).toBe(0);
        expect(result.endReason).toBe("disconnected");
        expect(spoken(result)).toEqual(["All our gardeners are busy. Please call again later."]);
        expect(stderr).toBe("");
      }
    });
  });

  describe("--seed", () => {
    const flow = `${FLOWS}/split.flow.json`;
    // The flow sends rolls 1-50 to team A. The roll is the seeded generator's first draw, from 1 to 100.
    const teamOf = (seed: number) =>
      1 + Math.floor(seededRandom(seed)() * 100) <= 50 ? "Team A." : "Team B.";
    const otherSeed = Array.from({ length: 100 }, (_, index) => index + 2).find(
      (seed) => teamOf(seed) !== teamOf(1),
    ) as number;

    it.concurrent("changes DistributeByPercentage's branch, the same way every time", async () => {
      const unseeded = await emulateJson(flow);
      const seeded = await emulateJson(flow, "--seed", String(otherSeed));
      const again = await emulateJson(flow, "--seed", String(otherSeed));

      expect(spoken(unseeded.result)).toEqual([teamOf(1)]);
      expect(spoken(seeded.result)).toEqual([teamOf(otherSeed)]);
      expect(spoken(seeded.result)).not.toEqual(spoken(unseeded.result));
      expect(again.result.timeline).toEqual(seeded.result.timeline);
    });
  });

  describe("--wait-event and --minimum-wait (a keep-running Wait; the Lambda answers after 0.3 s)", () => {
    const flow = `${FLOWS}/keep-running.flow.json`;
    // The hold music on the Continue branch lasts 10 s; the Wait's MinimumWaitTimeSeconds is 4.
    const common = [flow, "--lambda", `fernhill-answer=${ANSWER}`, "--prompt-duration", "10"];
    const music = (result: Timeline) =>
      result.timeline.filter((event) => event.kind === "prompt" && event.text?.startsWith("[prompt "));

    it.concurrent("holds the contact in the Wait for the minimum by default, so no music plays", async () => {
      const { code, result } = await emulateJson(...common);

      expect(code).toBe(0);
      expect(spoken(result)).toEqual(["Your answer is ready."]);
    });

    it.concurrent("--minimum-wait not-applied goes down Continue at once: the music, cut short", async () => {
      const { code, result } = await emulateJson(...common, "--minimum-wait", "not-applied");

      expect(code).toBe(0);
      expect(music(result)).toEqual([expect.objectContaining({ at: 0, interrupted: true })]);
      expect(spoken(result).at(-1)).toBe("Your answer is ready.");
    });

    it.concurrent("--wait-event finish-block lets the music finish before LambdaReturned", async () => {
      const { code, result } = await emulateJson(
        ...common,
        "--minimum-wait",
        "not-applied",
        "--wait-event",
        "finish-block",
      );

      expect(code).toBe(0);
      expect(music(result)).toEqual([expect.objectContaining({ at: 0, endAt: 10_000, interrupted: false })]);
      expect(result.timeline.filter((event) => event.kind === "prompt").at(-1)).toMatchObject({
        at: 10_000,
        text: "Your answer is ready.",
      });
    });
  });

  it.concurrent("lists the new options in --help", async () => {
    const { code, stdout } = await emulate("--help");

    expect(code).toBe(0);
    for (const option of [
      "--flow <id-or-arn>=<file.json>",
      "--module <id-or-arn>=<file.json>",
      "--hours <id-or-arn>=<file.json>",
      "--queue-full <queue>",
      "--seed <n>",
      "--wait-event cut-short|finish-block",
      "--minimum-wait each-entry|not-applied",
      "--at <ISO time>",
    ]) {
      expect(stdout).toContain(option);
    }
  });
});
