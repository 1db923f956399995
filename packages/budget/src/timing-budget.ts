import type { ExecutionPolicy } from "@holdline/domain/execution/execution-policy";

/**
 * Every timeout in Holdline derives from these few choices, so the contact flow, the Lambda functions,
 * their SDK clients and Lambda's event-invoke config cannot drift apart (seed 001: a Lambda timeout shorter
 * than Connect's block limit lets Connect retry into duplicate work).
 */
export interface BudgetChoices {
  /** Longest the caller may hear nothing while work is running. */
  readonly maxSilenceMs: number;
  /** How long after the question an answer is still worth waiting for (polling strategy). */
  readonly answerDeadlineMs: number;
  /** Connect's limit for a synchronous "Invoke AWS Lambda function" block: at most 8 s. */
  readonly syncBlockLimitSeconds: number;
  /** Connect's limit for an asynchronous invocation (native-async strategy): at most 60 s. */
  readonly asyncBlockLimitSeconds: number;
  /** Allowance for Connect → Lambda → Connect round trip outside the handler's own work. */
  readonly invocationOverheadMs: number;
  /**
   * Speech recognition between the caller's last word and the flow's next block (Lex end-of-speech and
   * the code hook); it adds to the silence before connect-start answers, so the fast path waits less.
   */
  readonly recognitionMs: number;
  /** Time a Connect-facing handler keeps in reserve to build and return its response. */
  readonly responseMarginMs: number;
}

/** The choices that are not timings (kept apart, so `BudgetChoices` stays a record of numbers). */
export interface AnswerChoices {
  /**
   * Progressive answers: the worker records each speakable part of the answer as soon as the model has
   * written it, so the flow speaks the first sentence while the rest is written (`ExecutionPolicy.recordParts`).
   * Off, only the complete answer is recorded: the bench's "without progressive answers".
   */
  readonly progressiveAnswers: boolean;
}

export const defaultAnswerChoices: AnswerChoices = { progressiveAnswers: true };

export const defaultBudgetChoices: BudgetChoices = {
  maxSilenceMs: 3_000,
  answerDeadlineMs: 60_000,
  syncBlockLimitSeconds: 8,
  asyncBlockLimitSeconds: 60,
  invocationOverheadMs: 400,
  recognitionMs: 500,
  responseMarginMs: 1_000,
};

export interface SdkTimeouts {
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxAttempts: number;
}

/** The DynamoDB client's timeouts, and the store's cap on one whole call. */
export interface StoreTimeouts extends SdkTimeouts {
  /** The store's `operationTimeoutMs`: one call, SDK retries and backoff included, fails past it. */
  readonly operationTimeoutMs: number;
}

/** The Lambda client's timeouts, and the dispatcher's cap on one whole dispatch. */
export interface DispatchTimeouts extends SdkTimeouts {
  /** The dispatcher's `deadlineMs`: one `Event` invoke, SDK retries and backoff included, fails past it. */
  readonly dispatchDeadlineMs: number;
}

/** The End User Messaging SMS client's timeouts, and the sender's cap on one whole send. */
export interface SmsTimeouts extends SdkTimeouts {
  /** The sender's `deadlineMs`: one `SendTextMessage`, SDK retries and backoff included, fails past it. */
  readonly sendDeadlineMs: number;
}

/** The Bedrock client's HTTP/2 timeouts (SDK retries off: the adapter retries within the deadline). */
export interface BedrockTimeouts {
  /** A stream with no data for this long fails the model call (`timeout`). */
  readonly requestTimeoutMs: number;
  /** A session (one per request) idle for this long is closed. */
  readonly sessionTimeoutMs: number;
}

export interface SyncHandlerBudget {
  /** `InvocationTimeLimitSeconds` of the flow block. */
  readonly blockLimitSeconds: number;
  /** The function's timeout: equal to the block limit, so Connect never retries a Lambda timeout. */
  readonly lambdaTimeoutSeconds: number;
  /** How long the handler may wait for the answer before replying `in_progress`. */
  readonly waitMs: number;
  /** Kept back from the invocation's remaining time: a failing store call plus building the response. */
  readonly reserveMs: number;
}

export interface TimingBudget {
  readonly choices: BudgetChoices & AnswerChoices;
  readonly policy: ExecutionPolicy;
  readonly connectStart: SyncHandlerBudget;
  readonly connectStatus: SyncHandlerBudget;
  readonly connectAnswer: {
    readonly blockLimitSeconds: number;
    readonly lambdaTimeoutSeconds: number;
    /** The native-async execution's deadline: it fails itself before Connect gives up on the block. */
    readonly deadlineMs: number;
    /** The execution runs inside this invocation: the policy's deadline is `deadlineMs`. */
    readonly policy: ExecutionPolicy;
    /** How long a Connect retry may wait for the attempt already running (cut to remaining − reserve). */
    readonly waitMs: number;
    readonly reserveMs: number;
    /** Bedrock inside connect-answer, fitted to `deadlineMs`. */
    readonly bedrock: BedrockTimeouts;
    /**
     * Progressive answers (the flow sends a cursor): connect-answer registers the turn, dispatches answer-worker
     * (`Event`) and long-polls for the next part, each invocation for up to `waitMs` (cut to remaining −
     * reserve); the answer is written outside the invocations, so it outlives each of them.
     */
    readonly progressive: {
      /**
       * The turn's deadline: the answer deadline, but no later than one poll interval and one store call (its
       * whole cap) before the first invocation's wait ends, so that invocation, whose wait began before the
       * turn existed, still reads the turn failed at its deadline rather than running out with nothing to say.
       */
      readonly deadlineMs: number;
      /** The policy of the turns it registers and supervises: `policy` with `deadlineMs`. */
      readonly policy: ExecutionPolicy;
      /**
       * connect-start registers the turn and dispatches answer-worker first, synchronously and at full size,
       * so the caller's path never waits on connect-answer's cold start (`HOLDLINE_START_ROLE=register`): it
       * answers within this, and a create or dispatch not done by then is left to connect-answer, which
       * registers a turn it does not find and re-dispatches a lost one. It is the rest of the first silence
       * once recognition, the round trip, the flow's fast wait and the keep-running Wait's minimum are counted
       * (`NATIVE_ASYNC_FIRST_WAITS_MS`).
       */
      readonly registerWithinMs: number;
    };
  };
  readonly worker: {
    readonly lambdaTimeoutSeconds: number;
    /** Lambda's asynchronous retries before the on-failure destination. */
    readonly maximumRetryAttempts: number;
    /** An event older than this is useless (the caller's deadline passed); Lambda's minimum is 60. */
    readonly maximumEventAgeSeconds: number;
    /** Bedrock inside answer-worker, fitted to the policy's deadline. */
    readonly bedrock: BedrockTimeouts;
  };
  readonly failureRecorder: { readonly lambdaTimeoutSeconds: number };
  /**
   * The text offer (issue 18): a synchronous block the flow invokes when the caller presses the offer's key.
   * `waitMs` bounds the consent's store calls (the caller hears nothing meanwhile): past it, the handler
   * answers `failed` and the flow keeps waiting.
   */
  readonly connectTextOffer: SyncHandlerBudget;
  /** caller-left: Connect's contact event (EventBridge, an asynchronous invocation) that the caller left. */
  readonly callerLeft: {
    readonly lambdaTimeoutSeconds: number;
    /** Lambda's asynchronous retries of a failed invocation (a store outage). */
    readonly maximumRetryAttempts: number;
    /** An older event is dropped (to the on-failure destination, where the infra gives one). */
    readonly maximumEventAgeSeconds: number;
  };
  /** text-delivery: the consumer of the executions table's stream that sends the texts. */
  readonly textDelivery: {
    readonly lambdaTimeoutSeconds: number;
    /** The event-source mapping's batch size. */
    readonly batchSize: number;
    /** The mapping's retries of a failed record (each `retry` outcome is one), before its on-failure destination. */
    readonly maximumRetryAttempts: number;
    /** A record older than this goes to the on-failure destination instead. */
    readonly maximumRecordAgeSeconds: number;
    /** One record's worst case: the store calls at their cap, one send at its deadline, the record's re-sends. */
    readonly recordWorstCaseMs: number;
    /** `DeliverTextPolicy.claimMs`: a claimed send is held this long, longer than any run can live. */
    readonly claimMs: number;
    /** `DeliverTextPolicy.recordWithinMs`: how long the record of a sent text is re-sent to a silent store. */
    readonly recordWithinMs: number;
    readonly sms: SmsTimeouts;
  };
  /**
   * The Lex V2 code hook (apps/lex-transcript) runs between the caller's last word and the flow's next
   * block, so the caller hears nothing meanwhile: its timeout fits one silence, less the round trip.
   */
  readonly lexTranscript: { readonly lambdaTimeoutSeconds: number };
  readonly dynamodb: StoreTimeouts;
  readonly lambdaInvoke: DispatchTimeouts;
}

/**
 * Lambda waits a minute before its first asynchronous retry of a function error, longer than any caller
 * waits; a retry could only produce an answer nobody hears. So the worker is not retried: a crash goes
 * straight to the on-failure destination, and failure-recorder turns it into an error prompt in seconds.
 * (Lambda still retries throttled events on its own until the maximum event age.)
 */
const WORKER_RETRIES = 0;
const WORKER_MARGIN_SECONDS = 5;

/**
 * The running attempt renews its lease this often. Each renewal is a conditional write (one write unit), so
 * a 20 s answer costs about thirteen of them; in exchange a crash shows within a lease (4.5 s), not at the
 * deadline.
 */
const HEARTBEAT_MS = 1_500;
/**
 * Attempts per execution: the first, and one more when the first crashed (stopped renewing its lease) and
 * the deadline leaves room. Lambda's own retry stays off (`WORKER_RETRIES`): it would come a minute late.
 */
const ATTEMPTS = 2;
/** A second attempt needs time for a model call; with less than this left, the caller hears the error now. */
const ATTEMPT_ROOM_MS = 10_000;
/** A wait reads the execution this often: the caller hears the answer (or a part) within this of its write. */
const POLL_INTERVAL_MS = 250;
/**
 * The native-async flow's first silence after connect-answer is invoked: its plain fast wait (1 s) and the
 * keep-running Wait's minimum (1 s), whole seconds (contact-flow's `deriveFlowTiming`, whose tests check this
 * figure against it).
 */
export const NATIVE_ASYNC_FIRST_WAITS_MS = 2_000;
/** connect-start's least time to register a native-async progressive turn, whatever the silence leaves. */
const MIN_REGISTER_WITHIN_MS = 100;
/**
 * A native-async progressive turn still queued this long after its dispatch is dispatched again by
 * connect-answer's long-poll (polling's turns wait 5 s). connect-start registers it within `registerWithinMs`;
 * a create it could not confirm by then (a slow or faulty store) may land without its dispatch, and nobody
 * else would dispatch it. An accepted `Event` starts the worker within about 0.2 s (p99) plus a cold start, so a turn
 * queued 2 s is rarely still on its way; a second dispatch of one that is costs a worker invocation that finds
 * the claim taken, never a second model call.
 */
const PROGRESSIVE_LOST_DISPATCH_AFTER_MS = 2_000;

/** Derives every timeout from the choices; throws if the choices cannot be honoured. */
export function deriveBudget(overrides: Partial<BudgetChoices & AnswerChoices> = {}): TimingBudget {
  const choices = { ...defaultBudgetChoices, ...defaultAnswerChoices, ...overrides };
  assertChoices(choices);
  const reserveMs = choices.responseMarginMs + dynamodb.operationTimeoutMs;
  const blockRoomMs = choices.syncBlockLimitSeconds * 1000 - reserveMs;
  const statusWaitMs = Math.min(choices.maxSilenceMs - choices.invocationOverheadMs, blockRoomMs);
  const startWaitMs = Math.max(
    0,
    Math.min(choices.maxSilenceMs - choices.invocationOverheadMs - choices.recognitionMs, blockRoomMs),
  );
  const workerTimeoutSeconds = Math.ceil(choices.answerDeadlineMs / 1000) + WORKER_MARGIN_SECONDS;
  const nativeAsyncDeadlineMs = choices.asyncBlockLimitSeconds * 1000 - reserveMs;
  const progressiveDeadlineMs = Math.max(
    1,
    Math.min(
      choices.answerDeadlineMs,
      nativeAsyncDeadlineMs - POLL_INTERVAL_MS - dynamodb.operationTimeoutMs,
    ),
  );
  const policy: ExecutionPolicy = {
    deadlineMs: choices.answerDeadlineMs,
    // A renewal that takes the store's whole per-call cap still lands before the lease it extends ends.
    leaseMs: HEARTBEAT_MS + dynamodb.operationTimeoutMs,
    heartbeatMs: HEARTBEAT_MS,
    maxAttempts: ATTEMPTS,
    attemptRoomMs: ATTEMPT_ROOM_MS,
    lostDispatchAfterMs: 5_000,
    pollIntervalMs: POLL_INTERVAL_MS,
    retentionSeconds: 24 * 60 * 60,
    historyTurns: 5,
    recordParts: choices.progressiveAnswers,
  };
  const sync = (waitMs: number): SyncHandlerBudget => ({
    blockLimitSeconds: choices.syncBlockLimitSeconds,
    lambdaTimeoutSeconds: choices.syncBlockLimitSeconds,
    waitMs,
    reserveMs,
  });
  return {
    choices,
    policy,
    connectStart: sync(startWaitMs),
    connectStatus: sync(statusWaitMs),
    connectAnswer: {
      blockLimitSeconds: choices.asyncBlockLimitSeconds,
      lambdaTimeoutSeconds: choices.asyncBlockLimitSeconds,
      deadlineMs: nativeAsyncDeadlineMs,
      // The turn run in place (a flow without a cursor) answers only when its invocation returns, so a part
      // recorded before is read by nobody: no part writes. Progressive answers are written by answer-worker.
      policy: { ...policy, deadlineMs: nativeAsyncDeadlineMs, recordParts: false },
      waitMs: choices.asyncBlockLimitSeconds * 1000,
      reserveMs,
      bedrock: bedrockWithin(nativeAsyncDeadlineMs),
      progressive: {
        deadlineMs: progressiveDeadlineMs,
        policy: {
          ...policy,
          deadlineMs: progressiveDeadlineMs,
          lostDispatchAfterMs: PROGRESSIVE_LOST_DISPATCH_AFTER_MS,
        },
        // What the first silence leaves once recognition, the round trip and the flow's waits are counted, as
        // connect-start's fast path counts its registering: 100 ms by default.
        registerWithinMs: Math.max(MIN_REGISTER_WITHIN_MS, startWaitMs - NATIVE_ASYNC_FIRST_WAITS_MS),
      },
    },
    worker: {
      lambdaTimeoutSeconds: workerTimeoutSeconds,
      maximumRetryAttempts: WORKER_RETRIES,
      maximumEventAgeSeconds: Math.max(60, Math.ceil(choices.answerDeadlineMs / 1000)),
      bedrock: bedrockWithin(choices.answerDeadlineMs),
    },
    failureRecorder: { lambdaTimeoutSeconds: 30 },
    connectTextOffer: sync(statusWaitMs),
    callerLeft: {
      lambdaTimeoutSeconds: CALLER_LEFT_TIMEOUT_SECONDS,
      maximumRetryAttempts: 2,
      maximumEventAgeSeconds: 60 * 60,
    },
    textDelivery,
    lexTranscript: {
      lambdaTimeoutSeconds: Math.max(
        1,
        Math.floor((choices.maxSilenceMs - choices.invocationOverheadMs) / 1000),
      ),
    },
    dynamodb,
    lambdaInvoke,
  };
}

/** Worst case of one store call that ends in an error: every attempt times out. */
export const storeWorstCaseMs = (sdk: SdkTimeouts): number => sdk.maxAttempts * sdk.requestTimeoutMs;

const dynamodbSdk: SdkTimeouts = { connectionTimeoutMs: 1_000, requestTimeoutMs: 1_500, maxAttempts: 2 };
// The cap is the worst case the handlers reserve for; a retry started late after its backoff is cut by it.
const dynamodb: StoreTimeouts = { ...dynamodbSdk, operationTimeoutMs: storeWorstCaseMs(dynamodbSdk) };

const lambdaInvokeSdk: SdkTimeouts = { connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 2 };
// Every attempt may time out; a throttled retry must not wait out a Retry-After hint past that.
const lambdaInvoke: DispatchTimeouts = {
  ...lambdaInvokeSdk,
  dispatchDeadlineMs: lambdaInvokeSdk.maxAttempts * lambdaInvokeSdk.requestTimeoutMs,
};

/**
 * caller-left's timeout: RecordCallerLeft reads the contact's latest turn and writes its delivery, up to three
 * rounds, each call capped by the store (6 × 3 s = 18 s), with room to spare. Off the caller's path.
 */
const CALLER_LEFT_TIMEOUT_SECONDS = 30;

/**
 * SMS: one attempt rarely takes more than a second; a second attempt for throttling and 5xx. The service takes
 * no idempotency token, so an attempt cut off by its timeout may have sent its text and the retry another one.
 */
const smsSdk: SdkTimeouts = { connectionTimeoutMs: 1_000, requestTimeoutMs: 3_000, maxAttempts: 2 };
const sms: SmsTimeouts = { ...smsSdk, sendDeadlineMs: smsSdk.maxAttempts * smsSdk.requestTimeoutMs };
/** A sent text whose record is lost is sent again later: re-send the record for three store caps. */
const TEXT_RECORD_WITHIN_MS = 3 * dynamodb.operationTimeoutMs + 1_000;
/** The delivery's read, its claim and a re-read of a refused claim, each at the store's cap; then the send; then the record. */
const TEXT_RECORD_WORST_CASE_MS =
  3 * dynamodb.operationTimeoutMs + sms.sendDeadlineMs + TEXT_RECORD_WITHIN_MS;
/** Two records' worst case and ten seconds: a batch in an outage stops early (the rest are retried), not at the timeout. */
const TEXT_DELIVERY_TIMEOUT_SECONDS = Math.ceil((2 * TEXT_RECORD_WORST_CASE_MS) / 1000) + 10;
const textDelivery: TimingBudget["textDelivery"] = {
  lambdaTimeoutSeconds: TEXT_DELIVERY_TIMEOUT_SECONDS,
  batchSize: 10,
  maximumRetryAttempts: 10,
  maximumRecordAgeSeconds: 60 * 60,
  recordWorstCaseMs: TEXT_RECORD_WORST_CASE_MS,
  // No live run holds a claim past its function's timeout: the claim outlives it by five seconds.
  claimMs: TEXT_DELIVERY_TIMEOUT_SECONDS * 1000 + 5_000,
  recordWithinMs: TEXT_RECORD_WITHIN_MS,
  sms,
};

/**
 * Bedrock's timeouts for an execution with this deadline. Converse sends nothing until the whole answer is
 * ready, so the stream's idle timeout bounds one model call; it is the whole deadline, so that only the
 * execution's own deadline (the abort signal at `deadlineAt`, earlier for a later attempt) ends a slow call:
 * a model whose first byte comes at 35 s answers instead of failing on a client timeout at 30 s. A session
 * never outlives the execution.
 */
const bedrockWithin = (deadlineMs: number): BedrockTimeouts => ({
  requestTimeoutMs: deadlineMs,
  sessionTimeoutMs: deadlineMs,
});

function assertChoices(choices: BudgetChoices): void {
  if (choices.syncBlockLimitSeconds < 1 || choices.syncBlockLimitSeconds > 8) {
    throw new RangeError("syncBlockLimitSeconds must be 1..8 (Connect's synchronous limit)");
  }
  if (choices.asyncBlockLimitSeconds < 1 || choices.asyncBlockLimitSeconds > 60) {
    throw new RangeError("asyncBlockLimitSeconds must be 1..60 (Connect's asynchronous limit)");
  }
  if (choices.maxSilenceMs <= choices.invocationOverheadMs) {
    throw new RangeError("maxSilenceMs must exceed invocationOverheadMs");
  }
  if (choices.answerDeadlineMs < 1_000 || choices.answerDeadlineMs > 840_000) {
    throw new RangeError(
      "answerDeadlineMs must be 1 s..14 min (the worker's 15-minute Lambda limit, less margin)",
    );
  }
}
