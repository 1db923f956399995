import { SystemClock } from "@holdline/adapters-node/system-clock";
import { say } from "@holdline/connect-emulator/caller-script";
import type { Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import { EN_US } from "@holdline/contact-flow/holdline/prompt-packs";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { BedrockStub } from "@holdline/local-aws/bedrock-stub";
import { answer } from "@holdline/local-aws/bedrock-stub-script";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { BRISK_SPEECH } from "../../src/brisk-speech.ts";
import { wireLocalHoldline } from "../../src/local-holdline.ts";
import { spoken } from "../unit/harness.ts";

describe("Bedrock mode: HOLDLINE_BEDROCK_MODEL_ID makes the apps' own modelModule answer", {
  timeout: 20_000,
}, () => {
  let bedrock: BedrockStub;

  beforeAll(async () => {
    // The SDK's default credential chain, as on a developer's machine; the stub does not check them.
    vi.stubEnv("AWS_ACCESS_KEY_ID", "holdline-local");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "holdline-local");
    bedrock = await BedrockStub.start([answer("Mount **Fuji** is 3,776 metres high.", { latencyMs: 200 })]);
  });

  afterAll(async () => {
    await bedrock?.close();
    vi.unstubAllEnvs();
  });

  it.each<Strategy>(["polling", "native-async"])(
    "asks Bedrock once and speaks its answer, made speakable (%s)",
    async (strategy) => {
      // Prepare
      const clock = new SystemClock();
      const callsBefore = bedrock.calls;
      const holdline = wireLocalHoldline({
        clock,
        store: new InMemoryExecutionStore(clock),
        environment: {
          HOLDLINE_BEDROCK_MODEL_ID: "amazon.nova-micro-v1:0",
          HOLDLINE_BEDROCK_REGION: "us-east-1",
          HOLDLINE_BEDROCK_ENDPOINT: bedrock.url,
        },
        emulator: BRISK_SPEECH,
      });
      try {
        // Act
        const call = holdline.call(strategy, EN_US, {
          turns: [say("How tall is Mount Fuji?"), say("No, that's all.")],
        });
        const ended = await call.settled;
        await holdline.idle();

        // Assess
        expect(spoken(ended)).toContain("Mount Fuji is 3,776 metres high.");
        expect(bedrock.calls - callsBefore).toBe(1);
        expect(holdline.model.calls).toBe(1);
      } finally {
        await holdline.close();
      }
    },
  );
});
