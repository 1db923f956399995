import { type Clock, ClockId } from "@holdline/domain/ports/clock.port";
import { LlmClientId } from "@holdline/domain/ports/llm-client.port";
import { ContainerModule } from "inversify";
import { FaqLlmClient, type FaqLlmClientOptions } from "./faq-llm-client.ts";

/** Binds `LlmClientId` to the local FAQ model, as a singleton. Needs `ClockId` bound elsewhere. */
export const faqLlmClientModule = (options: Omit<FaqLlmClientOptions, "clock"> = {}): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(LlmClientId)
      .toResolvedValue((clock: Clock) => new FaqLlmClient({ ...options, clock }), [ClockId])
      .inSingletonScope();
  });
