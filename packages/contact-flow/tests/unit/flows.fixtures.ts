import { deriveBudget } from "@holdline/budget/timing-budget";
import { type HoldlineFlowOptions, STRATEGIES } from "../../src/holdline/holdline-flows.ts";
import { EN_US, JA_JP } from "../../src/holdline/prompt-packs.ts";

export const ARNS = {
  start: "arn:aws:lambda:ap-northeast-1:123456789012:function:holdline-dev-connect-start",
  status: "arn:aws:lambda:ap-northeast-1:123456789012:function:holdline-dev-connect-status",
  answer: "arn:aws:lambda:ap-northeast-1:123456789012:function:holdline-dev-connect-answer",
};

export const LEX_ALIAS = "arn:aws:lex:ap-northeast-1:123456789012:bot-alias/BOTID12345/ALIASID123";

/**
 * The budget these tests build flows from: the default choices but a 55 s deadline and 100 ms for speech
 * recognition, so the handlers wait 2.5 s: the numbers the flow assertions are written against.
 */
export const FLOW_TEST_CHOICES = { answerDeadlineMs: 55_000, recognitionMs: 100 } as const;
export const FLOW_TEST_BUDGET = deriveBudget(FLOW_TEST_CHOICES);

export const options = (prompts = JA_JP): HoldlineFlowOptions => ({
  lambdas: ARNS,
  lexBotAliasArn: LEX_ALIAS,
  prompts,
  budget: FLOW_TEST_BUDGET,
  name: `holdline-${prompts.locale}`,
});

/** Every generated variant: both strategies in both locales. */
export const VARIANTS = STRATEGIES.flatMap((strategy) =>
  [JA_JP, EN_US].map((prompts) => ({ strategy, prompts, label: `${strategy} ${prompts.locale}` })),
);
