import { describe, expect, it } from "vitest";
import { deriveBudget, NATIVE_ASYNC_FIRST_WAITS_MS, storeWorstCaseMs } from "../../src/timing-budget.ts";

describe("timing budget", () => {
  it("makes every synchronous Lambda timeout equal to its Connect block limit", () => {
    const budget = deriveBudget();

    expect(budget.connectStart.lambdaTimeoutSeconds).toBe(budget.connectStart.blockLimitSeconds);
    expect(budget.connectStatus.lambdaTimeoutSeconds).toBe(budget.connectStatus.blockLimitSeconds);
    expect(budget.connectAnswer.lambdaTimeoutSeconds).toBe(budget.connectAnswer.blockLimitSeconds);
  });

  it("keeps a synchronous handler's wait plus overhead within the silence gap", () => {
    const budget = deriveBudget({ maxSilenceMs: 3_000, invocationOverheadMs: 400 });

    expect(budget.connectStatus.waitMs + budget.choices.invocationOverheadMs).toBeLessThanOrEqual(3_000);
  });

  it("keeps speech recognition plus the start handler's fast-path wait within the silence gap", () => {
    const budget = deriveBudget({ maxSilenceMs: 3_000, invocationOverheadMs: 400, recognitionMs: 500 });

    expect(
      budget.choices.recognitionMs + budget.choices.invocationOverheadMs + budget.connectStart.waitMs,
    ).toBeLessThanOrEqual(3_000);
    expect(budget.connectStart.waitMs).toBeLessThan(budget.connectStatus.waitMs);
  });

  it("leaves room in the block for a failing store call and the response", () => {
    const budget = deriveBudget({ maxSilenceMs: 7_500, invocationOverheadMs: 100 });

    expect(
      budget.connectStatus.waitMs + storeWorstCaseMs(budget.dynamodb) + budget.choices.responseMarginMs,
    ).toBeLessThanOrEqual(budget.connectStatus.blockLimitSeconds * 1000);
  });

  it("lets the worker outlive the deadline so it can record the failure itself", () => {
    const budget = deriveBudget({ answerDeadlineMs: 45_000 });

    expect(budget.worker.lambdaTimeoutSeconds * 1000).toBeGreaterThan(budget.policy.deadlineMs);
  });

  it("gives the running attempt a short lease it renews, so a crash shows within about 5 s", () => {
    const budget = deriveBudget();

    expect(budget.policy.heartbeatMs).toBe(1_500);
    expect(budget.policy.leaseMs).toBe(4_500);
    // The lease, one status poll and a handler's round trip: the caller hears of a crash within about 5 s.
    expect(budget.policy.leaseMs + budget.policy.pollIntervalMs).toBeLessThanOrEqual(5_000);
    // A renewal that takes the store's whole per-call cap still lands inside the lease it extends.
    expect((budget.policy.heartbeatMs ?? 0) + budget.dynamodb.operationTimeoutMs).toBeLessThanOrEqual(
      budget.policy.leaseMs,
    );
  });

  it("allows a second attempt after a crash, not Lambda's retry a minute later", () => {
    const budget = deriveBudget();

    expect(budget.policy.maxAttempts).toBe(2);
    expect(budget.worker.maximumRetryAttempts).toBe(0);
    expect(budget.policy.attemptRoomMs).toBe(10_000);
  });

  it("never sets an event age under Lambda's minimum of 60 seconds", () => {
    expect(deriveBudget({ answerDeadlineMs: 20_000 }).worker.maximumEventAgeSeconds).toBe(60);
    expect(deriveBudget({ answerDeadlineMs: 120_000 }).worker.maximumEventAgeSeconds).toBe(120);
  });

  it("ends a native-async execution before Connect stops waiting for it", () => {
    const budget = deriveBudget();

    expect(budget.connectAnswer.deadlineMs).toBeLessThan(budget.connectAnswer.blockLimitSeconds * 1000);
  });

  it("gives connect-answer its own policy: the deadline ends before Connect gives up on the block", () => {
    const budget = deriveBudget();

    expect(budget.connectAnswer.policy).toEqual({
      ...budget.policy,
      deadlineMs: budget.connectAnswer.deadlineMs,
      recordParts: false,
    });
    expect(budget.connectAnswer.policy.deadlineMs).toBe(56_000);
    expect(budget.connectAnswer.waitMs).toBe(budget.connectAnswer.blockLimitSeconds * 1000);
  });

  it("caps one store call at every SDK attempt timing out, the failing call the handlers reserve for", () => {
    const budget = deriveBudget();

    expect(budget.dynamodb.operationTimeoutMs).toBe(3_000);
    expect(budget.dynamodb.operationTimeoutMs).toBe(storeWorstCaseMs(budget.dynamodb));
    expect(budget.connectStatus.reserveMs).toBe(
      budget.choices.responseMarginMs + budget.dynamodb.operationTimeoutMs,
    );
  });

  it("caps one dispatch at every Lambda Invoke attempt timing out, inside the synchronous block", () => {
    const budget = deriveBudget();

    expect(budget.lambdaInvoke.dispatchDeadlineMs).toBe(4_000);
    expect(budget.lambdaInvoke.dispatchDeadlineMs).toBe(
      budget.lambdaInvoke.maxAttempts * budget.lambdaInvoke.requestTimeoutMs,
    );
    expect(budget.lambdaInvoke.dispatchDeadlineMs).toBeLessThan(budget.connectStart.blockLimitSeconds * 1000);
  });

  it("fits the worker's Bedrock timeouts to the answer deadline: no client timeout cuts a call before it", () => {
    expect(deriveBudget().worker.bedrock).toEqual({ requestTimeoutMs: 60_000, sessionTimeoutMs: 60_000 });
    expect(deriveBudget({ answerDeadlineMs: 40_000 }).worker.bedrock).toEqual({
      requestTimeoutMs: 40_000,
      sessionTimeoutMs: 40_000,
    });
  });

  it("fits connect-answer's Bedrock timeouts to the native-async deadline, not the polling one", () => {
    const budget = deriveBudget();

    expect(budget.connectAnswer.bedrock).toEqual({ requestTimeoutMs: 56_000, sessionTimeoutMs: 56_000 });
    expect(budget.connectAnswer.bedrock.sessionTimeoutMs).toBeLessThanOrEqual(
      budget.connectAnswer.deadlineMs,
    );
    expect(deriveBudget({ asyncBlockLimitSeconds: 30 }).connectAnswer.bedrock).toEqual({
      requestTimeoutMs: 26_000,
      sessionTimeoutMs: 26_000,
    });
  });

  it("records the parts of answers (progressive answers) unless the choice turns them off", () => {
    expect(deriveBudget().policy.recordParts).toBe(true);
    expect(deriveBudget({ progressiveAnswers: false }).policy.recordParts).toBe(false);
    expect(deriveBudget().choices.progressiveAnswers).toBe(true);
  });

  it("writes no parts in connect-answer, whose answer nobody reads before its invocation returns", () => {
    expect(deriveBudget().connectAnswer.policy.recordParts).toBe(false);
  });

  it("ends a progressive native-async turn one poll and one store call before the first invocation stops waiting", () => {
    // The first invocation waits at most its block limit − reserve from its start, and the turn is created after
    // that start: one poll interval and one whole store call (the supervising write that fails the turn) must
    // fit between the deadline and the end of that wait.
    const budget = deriveBudget();
    const { progressive, blockLimitSeconds, reserveMs } = budget.connectAnswer;
    const firstWaitEndsMs = blockLimitSeconds * 1000 - reserveMs;

    expect(progressive.deadlineMs).toBe(52_750);
    expect(progressive.deadlineMs + budget.policy.pollIntervalMs + budget.dynamodb.operationTimeoutMs).toBe(
      firstWaitEndsMs,
    );
    expect(progressive.policy).toEqual({
      ...budget.policy,
      deadlineMs: progressive.deadlineMs,
      lostDispatchAfterMs: 2_000,
    });
    // Recorded by answer-worker, whose timeout outlives the deadline.
    expect(progressive.policy.recordParts).toBe(true);
    expect(budget.worker.lambdaTimeoutSeconds * 1000).toBeGreaterThan(progressive.deadlineMs);
  });

  it("re-dispatches a native-async progressive turn sooner than polling's, and registers it within one silence", () => {
    // connect-start registers the turn within registerWithinMs and may leave a create unconfirmed, landing
    // without its dispatch: connect-answer's long-poll dispatches it again after lostDispatchAfterMs.
    const budget = deriveBudget();
    const { progressive } = budget.connectAnswer;

    expect(progressive.policy.lostDispatchAfterMs).toBeLessThan(budget.policy.lostDispatchAfterMs);
    expect(progressive.registerWithinMs).toBe(100);
    // The first silence: recognition, the invocation's round trip, registering, the flow's 1 s fast wait and
    // the keep-running Wait's 1 s minimum.
    const { recognitionMs, invocationOverheadMs, maxSilenceMs } = budget.choices;
    expect(
      recognitionMs + invocationOverheadMs + progressive.registerWithinMs + NATIVE_ASYNC_FIRST_WAITS_MS,
    ).toBeLessThanOrEqual(maxSilenceMs);
  });

  it("keeps a shorter answer deadline for progressive native-async turns, which the worker's timeout follows", () => {
    const budget = deriveBudget({ answerDeadlineMs: 20_000 });

    expect(budget.connectAnswer.progressive.deadlineMs).toBe(20_000);
    expect(budget.worker.lambdaTimeoutSeconds).toBe(25);
    expect(deriveBudget({ asyncBlockLimitSeconds: 30 }).connectAnswer.progressive.deadlineMs).toBe(22_750);
    expect(deriveBudget({ progressiveAnswers: false }).connectAnswer.progressive.policy.recordParts).toBe(
      false,
    );
  });

  it.each([
    [{ syncBlockLimitSeconds: 9 }, /1..8/],
    [{ asyncBlockLimitSeconds: 61 }, /1..60/],
    [{ maxSilenceMs: 300, invocationOverheadMs: 400 }, /maxSilenceMs/],
    [{ answerDeadlineMs: 900_000 }, /answerDeadlineMs/],
  ])("refuses choices Connect or Lambda cannot honour: %o", (choices, message) => {
    expect(() => deriveBudget(choices)).toThrow(message);
  });
});

describe("text delivery (issue 18)", () => {
  it("gives the text offer a synchronous handler's budget: timeout equal to the block, its wait within the gap", () => {
    const budget = deriveBudget();

    expect(budget.connectTextOffer.lambdaTimeoutSeconds).toBe(budget.connectTextOffer.blockLimitSeconds);
    expect(budget.connectTextOffer.waitMs + budget.choices.invocationOverheadMs).toBeLessThanOrEqual(
      budget.choices.maxSilenceMs,
    );
    expect(budget.connectTextOffer.waitMs + budget.connectTextOffer.reserveMs).toBeLessThanOrEqual(
      budget.connectTextOffer.blockLimitSeconds * 1000,
    );
  });

  it("holds a claimed send longer than any delivery run can live", () => {
    const { textDelivery } = deriveBudget();

    expect(textDelivery.claimMs).toBeGreaterThan(textDelivery.lambdaTimeoutSeconds * 1000);
  });

  it("fits two records' worst case in the delivery function's timeout", () => {
    const { textDelivery, dynamodb } = deriveBudget();

    expect(textDelivery.recordWorstCaseMs).toBe(
      3 * dynamodb.operationTimeoutMs + textDelivery.sms.sendDeadlineMs + textDelivery.recordWithinMs,
    );
    expect(2 * textDelivery.recordWorstCaseMs).toBeLessThan(textDelivery.lambdaTimeoutSeconds * 1000);
    expect(textDelivery.lambdaTimeoutSeconds).toBeLessThanOrEqual(900);
  });

  it("re-sends the record of a sent text for longer than a few store calls", () => {
    const { textDelivery, dynamodb } = deriveBudget();

    expect(textDelivery.recordWithinMs).toBeGreaterThanOrEqual(3 * dynamodb.operationTimeoutMs);
  });

  it("caps one send at its attempts' request timeouts", () => {
    const { sms } = deriveBudget().textDelivery;

    expect(sms.sendDeadlineMs).toBe(sms.maxAttempts * sms.requestTimeoutMs);
    expect(sms.connectionTimeoutMs).toBeLessThan(sms.requestTimeoutMs);
  });

  it("lets caller-left outlive six store calls at their cap (three rounds of read and write)", () => {
    const { callerLeft, dynamodb } = deriveBudget();

    expect(callerLeft.lambdaTimeoutSeconds * 1000).toBeGreaterThan(6 * dynamodb.operationTimeoutMs);
  });
});
