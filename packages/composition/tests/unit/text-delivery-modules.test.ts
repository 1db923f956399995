import { SmsClientId } from "@holdline/adapters-sms/sms-text-sender.module";
import { deriveBudget } from "@holdline/budget/timing-budget";
import { newExecution } from "@holdline/domain/execution/execution";
import { ClockId } from "@holdline/domain/ports/clock.port";
import { TextDeliveryStoreId } from "@holdline/domain/ports/text-delivery-store.port";
import { TextMessageSenderId } from "@holdline/domain/ports/text-message-sender.port";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { RecordingTextSender } from "@holdline/domain/testing/fakes/recording-text-sender";
import { DeliverTextId } from "@holdline/domain/use-cases/text-delivery/deliver-text.use-case";
import { RecordCallerLeftId } from "@holdline/domain/use-cases/text-delivery/record-caller-left.use-case";
import { RecordTextConsentId } from "@holdline/domain/use-cases/text-delivery/record-text-consent.use-case";
import { Container } from "inversify";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { smsEnv, textDeliveryEnv } from "../../src/config/environment.schema.ts";
import { ConfigError, readConfig } from "../../src/config/environment.ts";
import { smsModule } from "../../src/modules/sms.module.ts";
import {
  DeliverTextPolicyId,
  deliverTextPolicy,
  textDeliveryModule,
} from "../../src/modules/text-delivery.module.ts";

const budget = deriveBudget();
const schema = z.object({ ...smsEnv, ...textDeliveryEnv });
const KEY = { contactId: "c-text", turn: 1 };

describe("text delivery configuration", () => {
  it("requires the origination identity and defaults the text's segments and attempts", () => {
    expect(() => readConfig(schema, {})).toThrow(/HOLDLINE_SMS_ORIGINATION_IDENTITY/);
    expect(readConfig(schema, { HOLDLINE_SMS_ORIGINATION_IDENTITY: "pool-1" })).toMatchObject({
      HOLDLINE_TEXT_MAX_SEGMENTS: 5,
      HOLDLINE_TEXT_MAX_ATTEMPTS: 3,
    });
  });

  it("refuses a cap of zero segments or attempts", () => {
    expect(() =>
      readConfig(schema, { HOLDLINE_SMS_ORIGINATION_IDENTITY: "p", HOLDLINE_TEXT_MAX_SEGMENTS: "0" }),
    ).toThrow(/HOLDLINE_TEXT_MAX_SEGMENTS/);
    expect(() =>
      readConfig(schema, { HOLDLINE_SMS_ORIGINATION_IDENTITY: "p", HOLDLINE_TEXT_MAX_ATTEMPTS: "0" }),
    ).toThrow(/HOLDLINE_TEXT_MAX_ATTEMPTS/);
  });

  it("builds DeliverText's policy from the budget's timings and the configured caps", () => {
    const config = readConfig(schema, {
      HOLDLINE_SMS_ORIGINATION_IDENTITY: "p",
      HOLDLINE_TEXT_MAX_SEGMENTS: "3",
      HOLDLINE_TEXT_MAX_ATTEMPTS: "4",
    });

    expect(deliverTextPolicy(config, budget)).toEqual({
      maxAttempts: 4,
      maxSegments: 3,
      claimMs: budget.textDelivery.claimMs,
      recordWithinMs: budget.textDelivery.recordWithinMs,
    });
  });
});

describe("smsModule", () => {
  it("binds the sender and its client, in the function's Region by default", async () => {
    const container = new Container();
    container.load(
      smsModule(
        readConfig(schema, { HOLDLINE_SMS_ORIGINATION_IDENTITY: "p", AWS_REGION: "ap-northeast-1" }),
        budget,
      ),
    );

    expect(container.get(TextMessageSenderId)).toBe(container.get(TextMessageSenderId));
    expect(await container.get(SmsClientId).config.region()).toBe("ap-northeast-1");
  });

  it("fails the cold start naming HOLDLINE_SMS_REGION when no Region is known", () => {
    const config = readConfig(schema, { HOLDLINE_SMS_ORIGINATION_IDENTITY: "p" });

    expect(() => smsModule(config, budget)).toThrow(ConfigError);
    expect(() => smsModule(config, budget)).toThrow(/HOLDLINE_SMS_REGION/);
  });
});

describe("textDeliveryModule", () => {
  function container(withPolicy: boolean) {
    const clock = new ManualClock();
    const store = new InMemoryExecutionStore(clock);
    const sender = new RecordingTextSender();
    const built = new Container();
    built.load(
      textDeliveryModule(
        withPolicy ? { maxAttempts: 3, claimMs: 65_000, recordWithinMs: 10_000, maxSegments: 5 } : undefined,
      ),
    );
    built.bind(ClockId).toConstantValue(clock);
    built.bind(TextDeliveryStoreId).toConstantValue(store);
    built.bind(TextMessageSenderId).toConstantValue(sender);
    return { built, clock, store, sender };
  }

  it("wires consent, the caller leaving and delivery to the ports bound in the container", async () => {
    // Prepare
    const { built, clock, store, sender } = container(true);
    await store.createIfAbsent(
      newExecution({
        key: KEY,
        input: { question: "q", locale: "en-US" },
        now: clock.now(),
        deadlineMs: 60_000,
        retentionSeconds: 3_600,
      }),
    );

    // Act
    const consent = await built.get(RecordTextConsentId).execute({ key: KEY, address: "+15555550123" });
    const left = await built.get(RecordCallerLeftId).execute({ contactId: KEY.contactId });
    const delivered = await built.get(DeliverTextId).execute({ key: KEY });

    // Assess
    expect(consent.outcome).toBe("consented");
    expect(left.outcome).toBe("recorded");
    expect(delivered).toEqual({ outcome: "skipped", reason: "not_ended" });
    expect(sender.attempts).toBe(0);
    expect(built.get(DeliverTextPolicyId).claimMs).toBe(65_000);
  });

  it("binds no DeliverText without a policy: a function that never sends", () => {
    const { built } = container(false);

    expect(() => built.get(RecordTextConsentId)).not.toThrow();
    expect(built.isBound(DeliverTextId)).toBe(false);
  });
});
