import { deriveBudget } from "@holdline/budget/timing-budget";
import { EXTERNAL_KEYS, FLOW_PARAMETERS } from "@holdline/connect-contract/flow-contract";
import type { HoldlineLambdaArns, Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import { formatKey } from "@holdline/domain/execution/execution";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type { ConnectContactFlowEvent } from "aws-lambda";
import type { LambdaFunctions } from "../../src/lambda-function.ts";

export const HOLDLINE_ARNS: HoldlineLambdaArns = {
  start: "arn:aws:lambda:ap-northeast-1:123456789012:function:holdline-test-connect-start",
  status: "arn:aws:lambda:ap-northeast-1:123456789012:function:holdline-test-connect-status",
  answer: "arn:aws:lambda:ap-northeast-1:123456789012:function:holdline-test-connect-answer",
};

/**
 * connect-start as the native-async stack with progressive answers deploys it (`HOLDLINE_START_ROLE=register`:
 * it registers the turn and answers at once, before connect-answer): a stack runs one strategy, these tests
 * both, so each strategy's flow is built with its own (`holdlineArns`).
 */
export const HOLDLINE_REGISTER_ARN =
  "arn:aws:lambda:ap-northeast-1:123456789012:function:holdline-test-connect-start-register";

/** The ARNs a strategy's flow is built with. */
export const holdlineArns = (strategy: Strategy): HoldlineLambdaArns =>
  strategy === "native-async" ? { ...HOLDLINE_ARNS, start: HOLDLINE_REGISTER_ARN } : HOLDLINE_ARNS;

/** What connect-start registering for connect-answer answers: the turn is registered, nothing to say yet. */
export const registered = (event: ConnectContactFlowEvent): Record<string, string> => {
  const turn = Number(event.Details.Parameters[FLOW_PARAMETERS.turn]);
  return { [EXTERNAL_KEYS.status]: "in_progress", [EXTERNAL_KEYS.nextTurn]: String(turn + 1) };
};

/**
 * The budget the flows under test are built from: a 55 s deadline and 100 ms for speech recognition, so
 * connect-start's wait, and with it the flows' filler pacing, is the fakes' 2.5 s.
 */
export const HOLDLINE_TEST_BUDGET = deriveBudget({ answerDeadlineMs: 55_000, recognitionMs: 100 });

/**
 * Stand-ins for Holdline's Lambdas, not the real apps: an answer is ready `answerAfterMs` after the turn
 * starts; start and status wait up to `waitMs` (one silence) for it and otherwise say `in_progress`.
 */
export function fakeHoldline(
  clock: Clock,
  answerAfterMs: number,
  waitMs = HOLDLINE_TEST_BUDGET.connectStart.waitMs,
) {
  const readyAt = new Map<string, number>();
  const questions: string[] = [];
  const turnOf = (event: ConnectContactFlowEvent) => Number(event.Details.Parameters[FLOW_PARAMETERS.turn]);
  const keyOf = (event: ConnectContactFlowEvent) =>
    formatKey({ contactId: event.Details.ContactData.ContactId, turn: turnOf(event) });
  const view = (event: ConnectContactFlowEvent) => {
    const ready = clock.now() >= (readyAt.get(keyOf(event)) ?? Number.POSITIVE_INFINITY);
    return {
      [EXTERNAL_KEYS.status]: ready ? "completed" : "in_progress",
      [EXTERNAL_KEYS.nextTurn]: String(turnOf(event) + 1),
      ...(ready ? { [EXTERNAL_KEYS.answer]: `Answer ${turnOf(event)}.` } : {}),
    };
  };
  const waitForAnswer = async (event: ConnectContactFlowEvent) => {
    const until = clock.now() + waitMs;
    while (clock.now() < until && clock.now() < (readyAt.get(keyOf(event)) ?? Number.POSITIVE_INFINITY)) {
      await clock.sleep(Math.min(250, until - clock.now()));
    }
  };
  const functions: LambdaFunctions = {
    [HOLDLINE_ARNS.start]: async (event) => {
      if (!readyAt.has(keyOf(event))) {
        readyAt.set(keyOf(event), clock.now() + answerAfterMs);
        questions.push(event.Details.Parameters[FLOW_PARAMETERS.question] ?? "");
      }
      await waitForAnswer(event);
      return view(event);
    },
    [HOLDLINE_REGISTER_ARN]: async (event) => registered(event),
    [HOLDLINE_ARNS.status]: async (event) => {
      await waitForAnswer(event);
      return view(event);
    },
    [HOLDLINE_ARNS.answer]: async (event) => {
      questions.push(event.Details.Parameters[FLOW_PARAMETERS.question] ?? "");
      await clock.sleep(answerAfterMs);
      return { status: "completed", answer: `Answer ${turnOf(event)}.`, nextTurn: String(turnOf(event) + 1) };
    },
  };
  return { functions, questions };
}
