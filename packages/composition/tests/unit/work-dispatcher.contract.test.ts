import { workDispatcherContract } from "@holdline/domain/testing/contracts/work-dispatcher.contract";
import { InlineDispatcher } from "../../src/modules/inline-dispatcher.module.ts";

workDispatcherContract("inline (the handler runs the work itself)", {
  create: () => ({ dispatcher: new InlineDispatcher() }),
  delivery: { kind: "inline" },
  refusal: { kind: "none" },
});
