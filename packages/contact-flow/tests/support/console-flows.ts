import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FlowDocument } from "../../src/flow-language.ts";

/**
 * A corpus of console-shaped flows, written by this project: own prompt texts, identifiers, UUIDs and ARNs
 * (account 111122223333, us-west-2). Each reproduces the *shapes* found in real console exports and in the
 * live-API findings recorded by mgaffigan/pulumi-amazon-connect (docs/wire-format-checks.md); see the
 * conformance table in docs/contact-flow.md for which export shows which shape. Metadata is written as modern
 * exports write it: `entryPointPosition`, per-action `position`, `isFriendlyName` on actions whose Identifier
 * is a name rather than a UUID, `Annotations: []`, `name`, `description`, `type`, `status`.
 *
 * Import from other packages as `@holdline/contact-flow/testing/console-flows`.
 */

/** The folder holding the fixture files (absolute path). */
export const CONSOLE_FLOWS_DIR = fileURLToPath(new URL("../fixtures/console-flows/", import.meta.url));

const ACCOUNT = "111122223333";
const REGION = "us-west-2";
const lambda = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

export interface ConsoleFlowFixture {
  /** File name in `CONSOLE_FLOWS_DIR`. */
  readonly file: string;
  readonly title: string;
  /** The action types the flow uses, for a reader choosing a fixture. */
  readonly actionTypes: readonly string[];
  /** Lambda function ARNs the flow invokes, and the response each is expected to give. */
  readonly lambdas: Readonly<Record<string, string>>;
  /** Lex V2 bot alias ARNs the flow talks to, and the intents the flow branches on. */
  readonly lexBots?: Readonly<Record<string, string>>;
}

export const CONSOLE_FLOW_FIXTURES = {
  syncPolling: {
    file: "sync-polling-media-dtmf.json",
    title:
      "Parcel status: media streaming started and stopped, a DTMF menu (1/2, timeout and no-match re-asked by a " +
      "Loop), a stored tracking number ended by # (max 12 digits), a synchronous Lambda then a polled one in a Loop",
    actionTypes: [
      "UpdateFlowLoggingBehavior",
      "UpdateContactTextToSpeechVoice",
      "UpdateContactData",
      "UpdateContactMediaStreamingBehavior",
      "MessageParticipant",
      "GetParticipantInput",
      "Loop",
      "UpdateContactAttributes",
      "Compare",
      "InvokeLambdaFunction",
      "DisconnectParticipant",
    ],
    lambdas: {
      [lambda("parcel-lookup-start")]:
        "receives trackingNumber; returns STRING_MAP { lookupState: found | unknown | pending, parcelStatus? }",
      [lambda("parcel-lookup-status")]:
        "receives trackingNumber; returns STRING_MAP { lookupState: found | unknown | pending, parcelStatus? }",
    },
  },
  asyncKeepRunning: {
    file: "async-keep-running-wait.json",
    title:
      "Refund check: an ASYNCHRONOUS Lambda (30 s), a keep-running Wait (TimeLimitSeconds 40, MinimumWaitTimeSeconds " +
      "1) playing a hold prompt on Continue, LambdaReturned to Load Lambda result (InProgress back to the Wait)",
    actionTypes: [
      "UpdateFlowLoggingBehavior",
      "UpdateContactTextToSpeechVoice",
      "MessageParticipant",
      "InvokeLambdaFunction",
      "Wait",
      "LoadLambdaFunctionResult",
      "Compare",
      "DisconnectParticipant",
    ],
    lambdas: {
      [lambda("refund-check")]:
        "ASYNCHRONOUS; receives requestKind, contactRef; returns STRING_MAP { refundState: issued | in_review }",
    },
  },
  secureInput: {
    file: "secure-input-transfer.json",
    title:
      "Card payment: logging disabled, an encrypted stored DTMF input (CustomValidation MaximumLength 19, " +
      "InputEncryption), a Timeout check re-asked once by a Loop, logging enabled, TransferToFlow with a NextAction",
    actionTypes: [
      "MessageParticipant",
      "UpdateFlowLoggingBehavior",
      "GetParticipantInput",
      "UpdateContactAttributes",
      "Compare",
      "Loop",
      "TransferToFlow",
      "DisconnectParticipant",
    ],
    lambdas: {},
  },
  lexV2: {
    file: "lex-v2-intents.json",
    title:
      "Banking assistant: a Lex V2 bot alias with a session attribute from a contact attribute, one condition per " +
      "intent, NoMatchingCondition re-asked by a Loop",
    actionTypes: [
      "UpdateFlowLoggingBehavior",
      "UpdateContactTextToSpeechVoice",
      "UpdateContactData",
      "UpdateContactAttributes",
      "ConnectParticipantWithLexBot",
      "MessageParticipant",
      "Loop",
      "DisconnectParticipant",
    ],
    lambdas: {},
    lexBots: {
      [`arn:aws:lex:${REGION}:${ACCOUNT}:bot-alias/FXBOT12345/FXALIAS678`]:
        "intents CheckBalance, ReportLostCard, EndConversation; anything else is NoMatchingCondition",
    },
  },
  hoursAndQueue: {
    file: "hours-queue-routing.json",
    title:
      "Support line: recording with analytics, a voice, a CustomerQueue event hook, an hours check (True/False), " +
      "a 30/70 DistributeByPercentage (no Parameters, as exported), a target queue per branch, the transfer to the queue",
    actionTypes: [
      "UpdateFlowLoggingBehavior",
      "UpdateContactRecordingBehavior",
      "UpdateContactTextToSpeechVoice",
      "UpdateContactEventHooks",
      "CheckHoursOfOperation",
      "MessageParticipant",
      "DistributeByPercentage",
      "UpdateContactTargetQueue",
      "TransferContactToQueue",
      "DisconnectParticipant",
    ],
    lambdas: {},
  },
} as const satisfies Record<string, ConsoleFlowFixture>;

export type ConsoleFlowName = keyof typeof CONSOLE_FLOW_FIXTURES;

export const CONSOLE_FLOW_NAMES = Object.keys(CONSOLE_FLOW_FIXTURES) as ConsoleFlowName[];

/** The absolute path of one fixture file. */
export const consoleFlowPath = (name: ConsoleFlowName): string =>
  fileURLToPath(
    new URL(CONSOLE_FLOW_FIXTURES[name].file, new URL("../fixtures/console-flows/", import.meta.url)),
  );

/**
 * One fixture, parsed. Typed as a `FlowDocument`, but it is a console export's shape: e.g. the
 * DistributeByPercentage action has no `Parameters` key at all, as in the exports.
 */
export const loadConsoleFlow = (name: ConsoleFlowName): FlowDocument =>
  JSON.parse(readFileSync(consoleFlowPath(name), "utf8")) as FlowDocument;

/** Every fixture with its name and description. */
export const consoleFlows = (): {
  name: ConsoleFlowName;
  fixture: ConsoleFlowFixture;
  flow: FlowDocument;
}[] =>
  CONSOLE_FLOW_NAMES.map((name) => ({
    name,
    fixture: CONSOLE_FLOW_FIXTURES[name],
    flow: loadConsoleFlow(name),
  }));
