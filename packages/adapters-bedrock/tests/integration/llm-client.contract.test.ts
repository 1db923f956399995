import type { StubStep } from "@holdline/local-aws/bedrock-stub-script";
import {
  accessDenied,
  answer,
  hang,
  throttling,
  validationError,
} from "@holdline/local-aws/bedrock-stub-script";
import { type LlmScenario, llmClientContract } from "@holdline/domain/testing/contracts/llm-client.contract";
import { stubbedBedrock } from "../support/stubbed-bedrock.ts";

const stepFor = (scenario: LlmScenario): StubStep => {
  switch (scenario.kind) {
    case "answer":
      return answer(scenario.text, { latencyMs: scenario.latencyMs });
    case "refuse":
      return { throttled: throttling(), access_denied: accessDenied(), validation: validationError() }[
        scenario.code
      ];
    case "hang":
      return hang();
  }
};

for (const api of ["converse", "converse-stream"] as const) {
  llmClientContract(`Bedrock ${api} through the SDK on the local stub`, {
    create: async (scenario) => {
      const { stub, client, dispose } = await stubbedBedrock([stepFor(scenario)], { api });
      return { client, modelCalls: () => stub.calls, dispose };
    },
  });
}
