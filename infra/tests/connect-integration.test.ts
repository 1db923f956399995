import { FLOW_PARAMETERS } from "@holdline/connect-contract/flow-contract";
import { flowContent } from "@holdline/contact-flow/flow-language";
import { buildHoldlineFlow, type Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import { EN_US } from "@holdline/contact-flow/holdline/prompt-packs";
import { validateFlow } from "@holdline/contact-flow/validate-flow";
import { describe, expect, it } from "vitest";
import { flowNameFor, NOT_DEPLOYED } from "../src/connect-integration.ts";
import {
  budget,
  DEV_INSTANCE_ARN,
  DEV_LEX_ALIAS,
  flowDocument,
  fn,
  invokedLambdas,
  lexBlocks,
  nativeAsyncConfig,
  only,
  T,
  textOfferConfig,
} from "./support/holdline-stacks.ts";
import {
  ACCOUNT_ID,
  CLAIMED_NUMBER,
  CREATED_INSTANCE_ID,
  type ProgramRun,
  type RegisteredResource,
  stackFile,
  stackRun,
} from "./support/pulumi-program.ts";

// `ConnectIntegration`: the instance, what Connect and Lex may invoke, the contact flow and the number.

const byArn = (run: ProgramRun, arn: string): RegisteredResource | undefined =>
  run.ofType(T.function).find((candidate) => candidate.state.arn === arn);
const arnOf = (run: ProgramRun, suffix: string) =>
  run.ofType(T.function).find((candidate) => candidate.name.endsWith(suffix))?.state.arn ?? NOT_DEPLOYED;
const expectedFlow = (run: ProgramRun, strategy: Strategy, progressive = true) =>
  flowContent(
    buildHoldlineFlow(strategy, {
      lambdas: {
        start: arnOf(run, "-connect-start"),
        status: arnOf(run, "-connect-status"),
        answer: arnOf(run, "-connect-answer"),
      },
      lexBotAliasArn: DEV_LEX_ALIAS,
      prompts: EN_US,
      budget,
      name: "holdline-dev-connect-flow",
      progressive,
    }),
  );

describe("the dev stack: polling, en-US, a new Connect instance, a claimed number", () => {
  const run = stackRun("dev");

  it("creates the Connect instance the configuration names, with flow logs on", () => {
    const instances = run.ofType("aws:connect/instance:Instance");

    expect(instances).toHaveLength(1);
    expect(instances[0]?.inputs).toMatchObject({
      instanceAlias: "holdline-dev-example",
      identityManagementType: "CONNECT_MANAGED",
      inboundCallsEnabled: true,
      contactFlowLogsEnabled: true,
    });
  });

  it("associates with the instance exactly the functions the polling flow invokes", () => {
    const associated = run.ofType(T.association).map((association) => {
      expect(association.inputs.instanceId).toBe(CREATED_INSTANCE_ID);
      return association.inputs.functionArn;
    });

    expect(associated.sort()).toEqual(
      [fn(run, "connect-start").state.arn, fn(run, "connect-status").state.arn].sort(),
    );
    // A function may be invoked from more than one block (the progressive polling flow asks connect-status for
    // the first part from a block of its own): the set of invoked functions is what must match.
    expect([...new Set(invokedLambdas(run).map((invoke) => invoke.LambdaFunctionARN))].sort()).toEqual(
      associated.sort(),
    );
  });

  it("grants Connect nothing itself: associating a function makes Connect add its own invoke statement", () => {
    const connect = run
      .ofType(T.permission)
      .filter((permission) => permission.inputs.principal === "connect.amazonaws.com");

    expect(connect).toEqual([]);
  });

  it("lets Lex invoke the code hook from the bot's alias only", () => {
    const lex = run
      .ofType(T.permission)
      .filter((permission) => permission.inputs.principal === "lexv2.amazonaws.com");

    expect(run.one(T.botAlias, "-speech-bot-alias").state.arn).toBe(DEV_LEX_ALIAS);
    expect(lex.map((permission) => permission.inputs)).toEqual([
      {
        function: fn(run, "lex-transcript").state.name,
        action: "lambda:InvokeFunction",
        principal: "lexv2.amazonaws.com",
        sourceArn: DEV_LEX_ALIAS,
        sourceAccount: ACCOUNT_ID,
      },
    ]);
  });

  it("scopes every invoke permission to a source ARN in this account", () => {
    for (const permission of run.ofType(T.permission)) {
      expect([permission.name, String(permission.inputs.sourceArn).split(":")[4]]).toEqual([
        permission.name,
        ACCOUNT_ID,
      ]);
    }
  });

  it("associates the bot alias with the Connect instance before the flow names it", () => {
    const associations = run.ofType(T.lexAssociation);

    expect(associations.map((association) => association.inputs)).toEqual([
      { instanceId: DEV_INSTANCE_ARN, integrationType: "LEX_BOT", integrationArn: DEV_LEX_ALIAS },
    ]);
    expect(run.dependsOn(T.flow, "-connect-flow")).toEqual(
      expect.arrayContaining([associations[0]?.name, run.one(T.permission, "-lex-invoke-code-hook").name]),
    );
  });

  it("deploys the builder's polling flow with the deployed functions' ARNs", () => {
    const flows = run.ofType(T.flow);

    expect(flows).toHaveLength(1);
    expect(flows[0]?.inputs).toMatchObject({ instanceId: CREATED_INSTANCE_ID, type: "CONTACT_FLOW" });
    expect(flows[0]?.inputs.content).toBe(expectedFlow(run, "polling"));
  });

  it("names the flow after its content and replaces it, new one first, whenever the name changes", () => {
    const flow = only(run, T.flow);
    const options = run.options(T.flow, "-connect-flow");

    expect(flow.inputs.name).toBe(flowNameFor("holdline-dev-connect-flow", flow.inputs.content));
    expect(options.replaceOnChanges).toEqual(["name"]);
    expect(options.deleteBeforeReplace).toBeUndefined();
    expect(options.ignoreChanges).toBeUndefined();
  });

  it("keeps the number routed when the flow is replaced: the old route is dropped, never disassociated", () => {
    const options = run.options(
      "aws:connect/phoneNumberContactFlowAssociation:PhoneNumberContactFlowAssociation",
      "-connect-number-flow",
    );

    expect(options.retainOnDelete).toBe(true);
    expect(options.deleteBeforeReplace).toBeUndefined();
  });

  it("deploys a flow the flow validator finds nothing wrong with", () => {
    expect(validateFlow(flowDocument(run))).toEqual([]);
  });

  it("gives each flow invocation a limit equal to the function's timeout and the budget's block limit", () => {
    const invocations = invokedLambdas(run);

    expect(new Set(invocations.map((invoke) => invoke.LambdaFunctionARN))).toEqual(
      new Set([fn(run, "connect-start").state.arn, fn(run, "connect-status").state.arn]),
    );
    for (const invoke of invocations) {
      const timeout = byArn(run, invoke.LambdaFunctionARN ?? "")?.inputs.timeout;
      expect(invoke.InvocationTimeLimitSeconds).toBe(String(timeout));
      expect(invoke.InvocationTimeLimitSeconds).toBe(String(budget.connectStart.blockLimitSeconds));
    }
  });

  it("has every Lex block of the flow talk to the bot alias", () => {
    const aliases = lexBlocks(run).map((block) => block.Parameters.LexV2Bot?.AliasArn);

    expect(aliases).toEqual([DEV_LEX_ALIAS, DEV_LEX_ALIAS]);
  });

  it("claims the configured phone number on the instance and routes it to the flow", () => {
    const number = run.ofType("aws:connect/phoneNumber:PhoneNumber");
    const routes = run.ofType(
      "aws:connect/phoneNumberContactFlowAssociation:PhoneNumberContactFlowAssociation",
    );

    expect(number.map((claimed) => claimed.inputs)).toEqual([
      expect.objectContaining({ targetArn: DEV_INSTANCE_ARN, countryCode: "US", type: "DID" }),
    ]);
    expect(routes.map((route) => route.inputs)).toEqual([
      {
        instanceId: CREATED_INSTANCE_ID,
        phoneNumberId: CLAIMED_NUMBER.id,
        contactFlowId: run.ofType(T.flow)[0]?.state.contactFlowId,
      },
    ]);
  });
});

/** The cursor the flow sends each Lambda, when it is progressive. */
const sendsCursor = (run: ProgramRun) =>
  invokedLambdas(run).map((invoke) => JSON.stringify(invoke).includes(`"${FLOW_PARAMETERS.cursor}"`));

describe("the dev stack switched to native-async", () => {
  const run = stackRun("dev", nativeAsyncConfig(stackFile("dev")));
  /** The flow's Lambda block by its identifier. */
  const block = (identifier: string) =>
    (
      flowDocument(run).Actions as {
        Identifier: string;
        Type: string;
        Parameters: Record<string, string>;
        Transitions: { NextAction?: string; Errors?: { NextAction: string }[] };
      }[]
    ).find((action) => action.Identifier === identifier);

  it("deploys the builder's progressive native-async flow (the stack's default), which the validator accepts", () => {
    const content = run.ofType(T.flow)[0]?.inputs.content;

    expect(content).toBe(expectedFlow(run, "native-async", true));
    expect(validateFlow(JSON.parse(content))).toEqual([]);
    // connect-start's block and connect-answer's both send the cursor.
    expect(sendsCursor(run)).toEqual([true, true]);
  });

  it("invokes connect-start first, synchronously, then connect-answer, whatever connect-start answers", () => {
    const start = block("invoke-start");

    expect(start).toMatchObject({
      Type: "InvokeLambdaFunction",
      Parameters: {
        LambdaFunctionARN: fn(run, "connect-start").state.arn,
        InvocationType: "SYNCHRONOUS",
        InvocationTimeLimitSeconds: String(fn(run, "connect-start").inputs.timeout),
      },
      Transitions: { NextAction: "invoke-answer", Errors: [{ NextAction: "invoke-answer" }] },
    });
    expect(block("invoke-answer")?.Parameters).toMatchObject({
      LambdaFunctionARN: fn(run, "connect-answer").state.arn,
      InvocationType: "ASYNCHRONOUS",
    });
  });

  it("invokes connect-start and connect-answer alone, each with a limit equal to its timeout and its block's budget", () => {
    const invocations = invokedLambdas(run);
    const limits: Record<string, number> = {
      [fn(run, "connect-start").state.arn]: budget.connectStart.blockLimitSeconds,
      [fn(run, "connect-answer").state.arn]: budget.connectAnswer.blockLimitSeconds,
    };

    expect(new Set(invocations.map((invoke) => invoke.LambdaFunctionARN))).toEqual(
      new Set([fn(run, "connect-start").state.arn, fn(run, "connect-answer").state.arn]),
    );
    for (const invoke of invocations) {
      const arn = invoke.LambdaFunctionARN ?? "";
      expect(invoke.InvocationTimeLimitSeconds).toBe(String(byArn(run, arn)?.inputs.timeout));
      expect(invoke.InvocationTimeLimitSeconds).toBe(String(limits[arn]));
    }
  });

  it("associates connect-start and connect-answer, and only those, with the instance", () => {
    expect(
      run
        .ofType(T.association)
        .map((association) => association.inputs)
        .sort((a, b) => a.functionArn.localeCompare(b.functionArn)),
    ).toEqual([
      { instanceId: CREATED_INSTANCE_ID, functionArn: fn(run, "connect-answer").state.arn },
      { instanceId: CREATED_INSTANCE_ID, functionArn: fn(run, "connect-start").state.arn },
    ]);
  });
});

describe("progressive answers off (holdline:progressiveAnswers false): the flow and the functions agree", () => {
  const nativeAsync = stackRun("dev", nativeAsyncConfig(stackFile("dev"), { progressiveAnswers: false }));
  const polling = stackRun("dev", { ...stackFile("dev"), "holdline:progressiveAnswers": false });

  it("deploys the flows built without progressive answers, which send no cursor", () => {
    expect(only(nativeAsync, T.flow).inputs.content).toBe(expectedFlow(nativeAsync, "native-async", false));
    expect(only(polling, T.flow).inputs.content).toBe(expectedFlow(polling, "polling", false));
    expect(sendsCursor(nativeAsync)).toEqual([false]);
    expect(sendsCursor(polling)).toEqual([false, false]);
  });

  it("tells every function that reads the store not to record parts", () => {
    for (const run of [nativeAsync, polling]) {
      const told = run
        .ofType(T.function)
        .filter((fn) => fn.inputs.environment?.variables?.HOLDLINE_TABLE_NAME !== undefined)
        .map((fn) => fn.inputs.environment.variables.HOLDLINE_PROGRESSIVE_ANSWERS);
      expect(told.length).toBeGreaterThan(0);
      expect(new Set(told)).toEqual(new Set(["false"]));
    }
  });
});

describe("the dev stack with a flow content change (a shorter silence gap)", () => {
  const before = stackRun("dev");
  const after = stackRun("dev", { ...stackFile("dev"), "holdline:maxSilenceMs": 2500 });

  it("plans a new flow under a new name, which the flow's replaceOnChanges turns into create-then-delete", () => {
    const [oldFlow, newFlow] = [only(before, T.flow), only(after, T.flow)];

    expect(newFlow.inputs.content).not.toBe(oldFlow.inputs.content);
    expect(newFlow.inputs.name).not.toBe(oldFlow.inputs.name);
    expect(newFlow.name).toBe(oldFlow.name);
    expect(after.options(T.flow, "-connect-flow").replaceOnChanges).toEqual(["name"]);
  });

  it("holds no ARN the strategy does not deploy in either flow", () => {
    for (const run of [before, after]) expect(only(run, T.flow).inputs.content).not.toContain(NOT_DEPLOYED);
  });
});

describe("the flow's text offer (holdline:textOffer)", () => {
  const offerOf = (run: ProgramRun) =>
    (
      flowDocument(run).Actions as { Identifier: string; Type: string; Parameters: Record<string, unknown> }[]
    ).find((action) => action.Type === "GetParticipantInput");
  const textOfferArn = (run: ProgramRun) => arnOf(run, "-connect-text-offer");

  it.each([
    [
      "polling",
      stackRun("dev", textOfferConfig(stackFile("dev"), { offer: { key: "#", afterSeconds: 20 } })),
    ],
    ["native-async", stackRun("dev", textOfferConfig(nativeAsyncConfig(stackFile("dev"))))],
  ] as const)(
    "enabled, the deployed %s flow offers the text and invokes connect-text-offer",
    (strategy, run) => {
      const arn = textOfferArn(run);
      expect(arn).not.toBe(NOT_DEPLOYED);
      const offerInvocations = invokedLambdas(run).filter(
        (parameters) => parameters.LambdaFunctionARN === arn,
      );
      // The offer's call, and the call asking again about a press whose outcome went unheard (`invoke-text-offer-again`).
      expect(offerInvocations).toHaveLength(2);
      for (const invocation of offerInvocations) {
        expect(invocation).toMatchObject({ InvocationType: "SYNCHRONOUS", InvocationTimeLimitSeconds: "8" });
      }
      expect(offerOf(run)).toMatchObject({ Identifier: "offer-text", Parameters: { StoreInput: "False" } });
      if (strategy === "polling") {
        expect(String(offerOf(run)?.Parameters.Text)).toContain("pound");
      }
      const content = only(run, T.flow).inputs.content;
      expect(validateFlow(JSON.parse(content))).toEqual([]);
      expect(content).not.toContain(NOT_DEPLOYED);
      // The function the flow names is the one associated with the instance.
      expect(byArn(run, arn)).toBeDefined();
    },
  );

  it.each([
    ["the dev file", stackRun("dev")],
    ["enabled: false", stackRun("dev", { ...stackFile("dev"), "holdline:textOffer": { enabled: false } })],
  ] as const)("disabled (%s), the flow neither offers nor invokes connect-text-offer", (_label, run) => {
    expect(offerOf(run)).toBeUndefined();
    expect(
      invokedLambdas(run).filter((parameters) =>
        (parameters.LambdaFunctionARN ?? "").includes("connect-text-offer"),
      ),
    ).toEqual([]);
    expect(only(run, T.flow).inputs.content).toBe(expectedFlow(run, "polling"));
  });
});
