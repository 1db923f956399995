import { describe, expect, it } from "vitest";
import { press } from "../../src/caller-script.ts";
import { collectDigits, decryptEmulatedInput, type StoreInputRules } from "../../src/store-input.ts";
import { act, emulatorOn, eventsOf, hangUp, next, rawFlow, speak, spoken } from "./harness.ts";

/**
 * "Store customer input" as the Admin Guide documents it
 * (https://docs.aws.amazon.com/connect/latest/adminguide/store-customer-input.html, research 14 §5), with the
 * wire names of console exports (S2: GoodMeasuresLLC/connect sample_secure_input_with_no_agent.json @ 8139c58a)
 * and of the flow-language reference (`DTMFConfiguration`).
 */

const RULES: StoreInputRules = {
  firstEntryMs: 5_000,
  interdigitMs: 5_000,
  terminator: "#",
  maxLength: 20,
  cancelKey: true,
};
const every = (gapMs: number, keys: string) => [...keys].map((_, index) => (index + 1) * gapMs);

describe("collecting the digits", () => {
  it("ends at the terminator (# by default) and stores the digits without it", () => {
    expect(collectDigits("1234#9", every(200, "1234#9"), RULES)).toEqual({
      value: "1234",
      endedBy: "terminator",
      endMs: 1_000,
      consumed: "1234#",
      ignored: "9",
    });
  });

  it("ends at a custom terminating sequence of several keys", () => {
    expect(
      collectDigits("5566**", every(200, "5566**"), { ...RULES, terminator: "**", cancelKey: false }),
    ).toMatchObject({
      value: "5566",
      endedBy: "terminator",
    });
  });

  it("stops at the maximum number of digits without waiting for a terminator", () => {
    expect(collectDigits("123456", every(200, "123456"), { ...RULES, maxLength: 4 })).toMatchObject({
      value: "1234",
      endedBy: "max-length",
      endMs: 800,
      ignored: "56",
    });
  });

  it("lets * clear everything entered before it, unless the cancel key is disabled", () => {
    expect(collectDigits("12*34#", every(200, "12*34#"), RULES).value).toBe("34");
    expect(collectDigits("12*34#", every(200, "12*34#"), { ...RULES, cancelKey: false }).value).toBe("12*34");
  });

  it("times out before the first entry with nothing stored (Timeout)", () => {
    expect(collectDigits("12#", [6_000, 6_200, 6_400], RULES)).toMatchObject({
      value: undefined,
      endedBy: "first-entry-timeout",
      endMs: 5_000,
      ignored: "12#",
    });
  });

  it("ends with what was entered when the gap between two keys passes the interdigit timeout (default 5 s)", () => {
    expect(collectDigits("12#", [1_000, 7_000, 7_200], RULES)).toMatchObject({
      value: "1",
      endedBy: "interdigit-timeout",
      endMs: 6_000,
      ignored: "2#",
    });
  });

  it("ends at the interdigit timeout after the last key when no terminator comes", () => {
    expect(collectDigits("12", [1_000, 2_000], RULES)).toMatchObject({ value: "12", endMs: 7_000 });
  });
});

describe("GetParticipantInput with StoreInput True", () => {
  const KEY = "-----BEGIN CERTIFICATE-----\nMIIB…fixture…\n-----END CERTIFICATE-----";
  const store = (parameters: Record<string, unknown>) =>
    rawFlow(
      act(
        "store",
        "GetParticipantInput",
        {
          Text: "Please enter your number, then press the pound key.",
          StoreInput: "True",
          InputTimeLimitSeconds: "6",
          InputValidation: { CustomValidation: { MaximumLength: "12" } },
          ...parameters,
        },
        next("check", "error"),
      ),
      act(
        "check",
        "Compare",
        { ComparisonValue: "$.StoredCustomerInput" },
        {
          NextAction: "echo",
          Conditions: [{ NextAction: "none", Condition: { Operator: "Equals", Operands: ["Timeout"] } }],
          Errors: [{ NextAction: "echo", ErrorType: "NoMatchingCondition" }],
        },
      ),
      speak("echo", "Stored $.StoredCustomerInput"),
      speak("none", "Nothing entered."),
      speak("error", "Error."),
      hangUp(),
    );
  const run = (parameters: Record<string, unknown>, ...turns: Parameters<typeof press>[]) =>
    emulatorOn({}).run(store(parameters), { turns: turns.map((args) => press(...args)) });

  it("stores the digits before # in $.StoredCustomerInput and takes the Success branch", async () => {
    // Act
    const { ended } = await run({}, ["4111#", { afterMs: 500 }]);

    // Assess
    expect(spoken(ended).slice(1)).toEqual(["Stored 4111"]);
    expect(eventsOf(ended, "caller-input")).toEqual([
      expect.objectContaining({ mode: "dtmf", value: "4111#" }),
    ]);
  });

  it("takes the Success branch with the value Timeout when the caller enters nothing (no InputTimeLimitExceeded, MGW)", async () => {
    // Act
    const { ended } = await run({}, ["", {}]);

    // Assess
    expect(spoken(ended).slice(1)).toEqual(["Nothing entered."]);
    const prompt = eventsOf(ended, "prompt")[0];
    expect(eventsOf(ended, "input-timeout")[0]?.at).toBe((prompt?.endAt ?? 0) + 6_000);
  });

  it("reads the terminator, interdigit timeout and cancel key from DTMFConfiguration", async () => {
    // Act: 7 then 8 after 2.5 s (within the 3 s interdigit limit), * clears, 9 ends at the 3-key terminator.
    const { ended } = await run(
      {
        DTMFConfiguration: {
          InputTerminationSequence: "000",
          InterdigitTimeLimitSeconds: "3",
          DisableCancelKey: "False",
        },
      },
      ["78*9000", { keyIntervalMs: [200, 2_500, 200, 200, 200, 200, 200] }],
    );

    // Assess
    expect(spoken(ended).slice(1)).toEqual(["Stored 9"]);
  });

  it("stores only what came before a gap longer than the interdigit timeout, ignoring later keys", async () => {
    // Act
    const { ended } = await run({ DTMFConfiguration: { InterdigitTimeLimitSeconds: "2" } }, [
      "123#",
      { keyIntervalMs: [200, 200, 3_000, 200] },
    ]);

    // Assess
    expect(spoken(ended).slice(1)).toEqual(["Stored 12"]);
    expect(eventsOf(ended, "note")[0]?.text).toContain('keys "3#"');
  });

  it("stores an obviously fake ciphertext when InputEncryption is set (S2), which decryptEmulatedInput reverses", async () => {
    // Act
    const { ended } = await run(
      {
        InputValidation: { CustomValidation: { MaximumLength: "19" } },
        InputEncryption: { EncryptionKeyId: "key-01", Key: KEY },
      },
      ["4111111111111111#", {}],
    );

    // Assess
    const stored = /= "(.*)" \(/u.exec(eventsOf(ended, "branch")[0]?.result ?? "")?.[1] ?? "";
    expect(stored).toMatch(/^EMULATED-ENCRYPTION\(key=key-01\):/);
    expect(stored).not.toContain("4111");
    expect(decryptEmulatedInput(stored)).toBe("4111111111111111");
  });

  it("keeps the plain value Timeout under encryption, so a Check contact attributes can still find it", async () => {
    // Act
    const { ended } = await run({ InputEncryption: { EncryptionKeyId: "key-01", Key: KEY } }, ["", {}]);

    // Assess
    expect(spoken(ended).slice(1)).toEqual(["Nothing entered."]);
  });

  it("stops, naming the rule, when a store block has no InputValidation (flow-language reference)", async () => {
    // Act
    const { ended } = await run({ InputValidation: undefined }, ["1#", {}]);

    // Assess
    expect(ended.emulatorError).toMatchObject({ code: "invalid_parameter", identifier: "store" });
  });
});
