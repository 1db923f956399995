import { marshall } from "@aws-sdk/util-dynamodb";
import { keyItem } from "@holdline/adapters-dynamodb/execution-item";
import {
  DELIVERY_DUE_FILTER_PATTERN,
  itemOfView,
  TEXT_DELIVERY_STATE_ATTRIBUTE,
} from "@holdline/adapters-dynamodb/text-delivery-item";
import { loadConfig as loadCallerLeftConfig } from "@holdline/app-caller-left/config";
import {
  buildContainer as buildCallerLeftContainer,
  dependenciesFrom as callerLeftDependencies,
} from "@holdline/app-caller-left/container";
import { createHandler as createCallerLeftHandler } from "@holdline/app-caller-left/handler";
import { loadConfig as loadTextOfferConfig } from "@holdline/app-connect-text-offer/config";
import {
  buildContainer as buildTextOfferContainer,
  dependenciesFrom as textOfferDependencies,
} from "@holdline/app-connect-text-offer/container";
import { createHandler as createTextOfferHandler } from "@holdline/app-connect-text-offer/handler";
import { loadConfig as loadTextDeliveryConfig } from "@holdline/app-text-delivery/config";
import {
  buildContainer as buildTextDeliveryContainer,
  dependenciesFrom as textDeliveryDependencies,
} from "@holdline/app-text-delivery/container";
import { createHandler as createTextDeliveryHandler } from "@holdline/app-text-delivery/handler";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import type { LambdaFunction } from "@holdline/connect-emulator/lambda-function";
import { type Clock, ClockId } from "@holdline/domain/ports/clock.port";
import { type ExecutionStore, ExecutionStoreId } from "@holdline/domain/ports/execution-store.port";
import { type TextDeliveryStore, TextDeliveryStoreId } from "@holdline/domain/ports/text-delivery-store.port";
import {
  type SentText,
  type TextMessage,
  type TextMessageSender,
  TextMessageSenderId,
} from "@holdline/domain/ports/text-message-sender.port";
import type { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { maskPhone } from "@holdline/domain/text-delivery/text-delivery";
import { type DynamoDbImage, DynamoDbStream } from "@holdline/local-aws/dynamodb-streams/stream";
import {
  DynamoDbStreamMapping,
  type DynamoDbStreamOnFailureRecord,
} from "@holdline/local-aws/dynamodb-streams/stream-mapping";
import type { Container } from "inversify";
import type { BackgroundWork } from "./background-work.ts";
import type { CallNotes } from "./call-notes.ts";

/** The phone number texts are sent from, locally (the stack configures a real one: docs/text-delivery.md). */
export const LOCAL_ORIGINATION_IDENTITY =
  "arn:aws:sms-voice:ap-northeast-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef";

/** A store both ports read and write: the delivery lives on the execution's item. */
export type DeliveryCapableStore = ExecutionStore & TextDeliveryStore;

export interface LocalTextsOptions {
  /**
   * The executions table's stream (NEW_AND_OLD_IMAGES): `streamOfMemoryStore` on virtual time, or the dynalite
   * change capture's (`DynamoDbChangeCapture.stream`) in real time.
   */
  readonly stream: DynamoDbStream;
  /**
   * Where the texts go. Default: the text-delivery app's own sender (End User Messaging SMS through its SDK
   * client, at `HOLDLINE_SMS_ENDPOINT`: the local wire stub).
   */
  readonly sender?: TextMessageSender;
  /** From the contact ending to caller-left receiving Connect's DISCONNECTED event. Default 1 s. */
  readonly contactEventLatencyMs?: number;
  /** How long the caller waits before the flows offer the text (`LOCAL_TEXT_OFFER.afterSeconds`). */
  readonly afterSeconds?: number;
}

export interface LocalTexts {
  /** connect-text-offer, as the flow invokes it. */
  readonly textOffer: LambdaFunction;
  /** The stream's mapping to text-delivery: its invocations, its on-failure records. */
  readonly mapping: DynamoDbStreamMapping;
  readonly onFailureRecords: readonly DynamoDbStreamOnFailureRecord[];
  /** Connect's DISCONNECTED contact event for `contactId`, delivered to caller-left after the latency. */
  contactEnded(contactId: string): void;
  /** Resolves once the mapping has no record left to deliver (a contact event on its way is background work). */
  settled(): Promise<void>;
  /** Grows with every stream record and invocation: `idle()` is done when a round leaves it unchanged. */
  progress(): number;
  close(): void;
}

export interface WireTextsOptions extends LocalTextsOptions {
  readonly clock: Clock;
  readonly work: BackgroundWork;
  readonly notes: CallNotes;
  readonly budget: TimingBudget;
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** The store the apps use (already observed for the timeline, if wanted). */
  readonly store: DeliveryCapableStore;
  readonly instanceArn: string;
  readonly textDeliveryArn: string;
}

/**
 * The stream of an in-memory store, for virtual time: every change the store reports becomes the record
 * DynamoDB Streams would write (images as the DynamoDB adapter stores the item, marshalled to DynamoDB JSON).
 */
export function streamOfMemoryStore(
  store: InMemoryExecutionStore,
  clock: Clock,
  tableName: string,
): DynamoDbStream {
  const stream = new DynamoDbStream({ tableName, clock, region: "ap-northeast-1" });
  // The SDK's and aws-lambda's AttributeValue types differ in form only: both are DynamoDB JSON.
  const asImage = (item: Record<string, unknown>) =>
    marshall(item, { removeUndefinedValues: true }) as unknown as DynamoDbImage;
  const image = (view: Parameters<typeof itemOfView>[0] | undefined) =>
    view === undefined ? undefined : asImage(itemOfView(view));
  store.onChange(({ before, after }) => {
    const keySource = after?.execution ?? before?.execution;
    if (keySource === undefined) return;
    const oldImage = image(before);
    const newImage = image(after);
    stream.append({
      eventName: oldImage === undefined ? "INSERT" : newImage === undefined ? "REMOVE" : "MODIFY",
      keys: asImage(keyItem(keySource)),
      ...(oldImage === undefined ? {} : { oldImage }),
      ...(newImage === undefined ? {} : { newImage }),
    });
  });
  return stream;
}

/** A sender that tells the timeline what it sent (to whom masked, the first words of the text). */
class NotedSender implements TextMessageSender {
  constructor(
    private readonly inner: TextMessageSender,
    private readonly note: (text: string) => void,
  ) {}

  async send(message: TextMessage): Promise<SentText> {
    const sent = await this.inner.send(message);
    const firstLine = message.body.split("\n")[0] ?? "";
    this.note(`sent a text to ${maskPhone(message.to)} (${sent.messageId}): "${firstLine.slice(0, 40)}…"`);
    return sent;
  }
}

/**
 * The answer by text message on one machine (issue 18): connect-text-offer for the flow, caller-left behind
 * Connect's contact events (posted when a call ends), and text-delivery behind the table's stream through a
 * local event source mapping with the deployed settings (the budget's, the filter of adapters-dynamodb).
 */
export function wireTexts(options: WireTextsOptions): LocalTexts {
  const { clock, work, notes, budget, store } = options;
  // The stack's SMS settings, locally: an origination identity of the local account (the wire stub takes any).
  const environment = {
    HOLDLINE_SMS_ORIGINATION_IDENTITY: LOCAL_ORIGINATION_IDENTITY,
    HOLDLINE_SMS_REGION: "ap-northeast-1",
    ...options.environment,
  };
  const rebind = (container: Container) => {
    container.rebind(ClockId).toConstantValue(clock);
    container.rebind(ExecutionStoreId).toConstantValue(store);
    container.rebind(TextDeliveryStoreId).toConstantValue(store);
  };
  const noteFor = (contactId: string, source: string) => (text: string) => notes.add(contactId, source, text);

  const textOfferConfig = loadTextOfferConfig(environment);
  const textOfferContainer = buildTextOfferContainer(textOfferConfig, budget);
  rebind(textOfferContainer);
  const textOfferHandler = createTextOfferHandler(
    textOfferDependencies(textOfferContainer, textOfferConfig, budget),
  );

  const callerLeftContainer = buildCallerLeftContainer(loadCallerLeftConfig(environment), budget);
  rebind(callerLeftContainer);
  const callerLeftHandler = createCallerLeftHandler(callerLeftDependencies(callerLeftContainer));

  const deliveryContainer = buildTextDeliveryContainer(loadTextDeliveryConfig(environment), budget);
  rebind(deliveryContainer);
  let sendingFor = "";
  const inner = options.sender ?? deliveryContainer.get(TextMessageSenderId);
  deliveryContainer
    .rebind(TextMessageSenderId)
    .toConstantValue(new NotedSender(inner, (text) => notes.add(sendingFor, "text-delivery", text)));
  const deliveryHandler = createTextDeliveryHandler(textDeliveryDependencies(deliveryContainer, budget));

  // The timeline hears of each change of a delivery's state, from the stream itself.
  options.stream.onAppend(({ record }) => {
    const before = record.dynamodb?.OldImage?.[TEXT_DELIVERY_STATE_ATTRIBUTE]?.S;
    const after = record.dynamodb?.NewImage?.[TEXT_DELIVERY_STATE_ATTRIBUTE]?.S;
    const contactId = record.dynamodb?.Keys?.contactId?.S;
    if (after !== undefined && after !== before && contactId !== undefined) {
      notes.add(contactId, "text delivery", `turn ${record.dynamodb?.Keys?.turn?.N}: ${after}`);
    }
  });

  const onFailureRecords: DynamoDbStreamOnFailureRecord[] = [];
  const mapping = new DynamoDbStreamMapping({
    stream: options.stream,
    clock,
    functionArn: options.textDeliveryArn,
    timeoutMs: budget.textDelivery.lambdaTimeoutSeconds * 1_000,
    handler: async (event, context) => {
      sendingFor = event.Records[0]?.dynamodb?.Keys?.contactId?.S ?? "";
      return deliveryHandler(event, context);
    },
    BatchSize: budget.textDelivery.batchSize,
    FilterCriteria: { Filters: [{ Pattern: JSON.stringify(DELIVERY_DUE_FILTER_PATTERN) }] },
    FunctionResponseTypes: ["ReportBatchItemFailures"],
    BisectBatchOnFunctionError: true,
    MaximumRetryAttempts: budget.textDelivery.maximumRetryAttempts,
    MaximumRecordAgeInSeconds: budget.textDelivery.maximumRecordAgeSeconds,
    StartingPosition: "LATEST",
    DestinationConfig: { OnFailure: { Destination: (record) => void onFailureRecords.push(record) } },
  });

  const latencyMs = options.contactEventLatencyMs ?? 1_000;
  const contactEnded = (contactId: string) => {
    work.track(
      (async () => {
        await work.sleep(latencyMs);
        const time = new Date(clock.now()).toISOString();
        await callerLeftHandler({
          version: "0",
          id: globalThis.crypto.randomUUID(),
          "detail-type": "Amazon Connect Contact Event",
          source: "aws.connect",
          account: options.instanceArn.split(":")[4],
          time,
          region: options.instanceArn.split(":")[3],
          resources: [options.instanceArn],
          detail: {
            eventType: "DISCONNECTED",
            contactId,
            initialContactId: contactId,
            channel: "VOICE",
            instanceArn: options.instanceArn,
            initiationMethod: "INBOUND",
            disconnectTimestamp: time,
          },
        });
        noteFor(contactId, "caller-left")("Connect's DISCONNECTED contact event handled");
      })(),
    );
  };

  return {
    textOffer: {
      timeoutMs: budget.connectTextOffer.lambdaTimeoutSeconds * 1_000,
      handler: (event, context) => textOfferHandler(event, context),
    },
    mapping,
    onFailureRecords,
    contactEnded,
    settled: () => mapping.settled(),
    progress: () => options.stream.entries.length + mapping.invocations.length,
    close: () => mapping.close(),
  };
}
