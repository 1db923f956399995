import { fileURLToPath } from "node:url";
import type { FlowDocument } from "@holdline/contact-flow/flow-language";
import { describe, expect, it } from "vitest";
import {
  flowLambdaReferences,
  LambdaMappingError,
  loadHandler,
  namesFunction,
  resolveFunctions,
} from "../../src/lambda-modules.ts";

const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));
const examples = fileURLToPath(new URL("../../../../examples/", import.meta.url));

const LOOKUP = "arn:aws:lambda:eu-west-1:111122223333:function:fernhill-order-status";
const NOTIFY = "arn:aws:lambda:eu-west-1:111122223333:function:notify:live";

const invoke = (id: string, arn: string) => ({
  Parameters: { LambdaFunctionARN: arn, InvocationTimeLimitSeconds: "8" },
  Identifier: id,
  Type: "InvokeLambdaFunction",
  Transitions: { NextAction: "bye", Errors: [{ NextAction: "bye", ErrorType: "NoMatchingError" }] },
});

const flow = (...actions: ReturnType<typeof invoke>[]): FlowDocument => ({
  Version: "2019-10-30",
  StartAction: actions[0]?.Identifier ?? "bye",
  Actions: [
    ...actions,
    { Parameters: {}, Identifier: "bye", Type: "DisconnectParticipant", Transitions: {} },
  ],
});

const event = (orderNumber: string) =>
  ({ Details: { Parameters: { orderNumber } } }) as unknown as Parameters<
    Awaited<ReturnType<typeof loadHandler>>
  >[0];
const context = {} as Parameters<Awaited<ReturnType<typeof loadHandler>>>[1];

describe("namesFunction", () => {
  it("matches the same ARN, with or without a qualifier, or the bare function name", () => {
    expect(namesFunction(LOOKUP, LOOKUP)).toBe(true);
    expect(namesFunction("fernhill-order-status", LOOKUP)).toBe(true);
    expect(namesFunction("arn:aws:lambda:eu-west-1:111122223333:function:notify", NOTIFY)).toBe(true);
    expect(namesFunction("notify", NOTIFY)).toBe(true);
    expect(namesFunction("fernhill", LOOKUP)).toBe(false);
    expect(
      namesFunction("arn:aws:lambda:us-east-1:111122223333:function:fernhill-order-status", LOOKUP),
    ).toBe(false);
  });
});

describe("flowLambdaReferences", () => {
  it("lists each function once with the actions that invoke it, computed ARNs apart", () => {
    const references = flowLambdaReferences(
      flow(invoke("first", LOOKUP), invoke("again", LOOKUP), invoke("computed", "$.Attributes.fn")),
    );

    expect(references).toEqual({
      fixed: [{ arn: LOOKUP, actions: ["first", "again"] }],
      dynamic: [{ arn: "$.Attributes.fn", actions: ["computed"] }],
    });
  });
});

describe("loadHandler", () => {
  it("loads a plain JavaScript module's handler, relative to the given directory", async () => {
    const handler = await loadHandler({ key: "x", path: "order-status-lookup.mjs" }, examples);

    await expect(handler(event("4711"), context)).resolves.toMatchObject({ orderState: "shipped" });
  });

  it("loads TypeScript's default export, a named export, and CommonJS's exports.handler", async () => {
    const typed = await loadHandler({ key: "x", path: "typed-lookup.ts" }, fixtures);
    const other = await loadHandler({ key: "x", path: "typed-lookup.ts", exportName: "other" }, fixtures);
    const commonjs = await loadHandler({ key: "x", path: "commonjs-lookup.cjs" }, fixtures);

    await expect(typed(event("9"), context)).resolves.toEqual({
      orderState: "shipped",
      orderNumber: "9",
      from: "typescript",
    });
    await expect(other(event("9"), context)).resolves.toMatchObject({ from: "other" });
    await expect(commonjs(event("9"), context)).resolves.toMatchObject({ from: "commonjs" });
  });

  it("says what is wrong with a missing module or one without a handler", async () => {
    await expect(loadHandler({ key: "lookup", path: "nowhere.mjs" }, fixtures)).rejects.toThrow(
      /--lambda lookup: no module at .*nowhere\.mjs/,
    );
    await expect(loadHandler({ key: "lookup", path: "no-handler.mjs" }, fixtures)).rejects.toThrow(
      /exports no function `handler` or a default export/,
    );
  });
});

describe("resolveFunctions", () => {
  it("maps each function the flow invokes by its ARN, a bare name or a qualified ARN, with its timeout", async () => {
    const warnings: string[] = [];

    const { functions, mapped } = await resolveFunctions(
      flow(invoke("lookup", LOOKUP), invoke("notify", NOTIFY)),
      [
        { key: "fernhill-order-status", path: "order-status-lookup.mjs" },
        { key: "arn:aws:lambda:eu-west-1:111122223333:function:notify", path: "order-status-lookup.mjs" },
        { key: "unused", path: "order-status-lookup.mjs" },
      ],
      [{ key: "notify", ms: 2_000 }],
      examples,
      (warning) => warnings.push(warning),
    );

    expect(Object.keys(functions)).toEqual([LOOKUP, NOTIFY]);
    expect(functions[NOTIFY]?.timeoutMs).toBe(2_000);
    expect(functions[LOOKUP]?.timeoutMs).toBeUndefined();
    expect(mapped.map((fn) => fn.arn)).toEqual([LOOKUP, NOTIFY]);
    expect(warnings).toEqual(["--lambda unused matches no function the flow invokes"]);
  });

  it("refuses a flow whose Lambda has no mapping, naming the ARN and the action", async () => {
    const resolving = resolveFunctions(
      flow(invoke("lookup", LOOKUP), invoke("notify", NOTIFY)),
      [{ key: "notify", path: "order-status-lookup.mjs" }],
      [],
      examples,
      () => undefined,
    );

    await expect(resolving).rejects.toBeInstanceOf(LambdaMappingError);
    await expect(resolving).rejects.toThrow(
      /no --lambda mapping:\n {2}arn:aws:lambda:eu-west-1:111122223333:function:fernhill-order-status {2}\(lookup\)/,
    );
  });

  it("also needs the functions of the flows and modules the call may run, naming their file", async () => {
    const flows = [
      { flow: flow(invoke("lookup", LOOKUP)) },
      { flow: flow(invoke("notify", NOTIFY)), label: "flows/confirmation.json" },
    ];

    const mapped = await resolveFunctions(
      flows,
      [
        { key: "fernhill-order-status", path: "order-status-lookup.mjs" },
        { key: "notify", path: "order-status-lookup.mjs" },
      ],
      [],
      examples,
      () => undefined,
    );
    const unmapped = resolveFunctions(
      flows,
      [{ key: "fernhill-order-status", path: "order-status-lookup.mjs" }],
      [],
      examples,
      () => undefined,
    );

    await expect(unmapped).rejects.toBeInstanceOf(LambdaMappingError);
    await expect(unmapped).rejects.toThrow(
      /the flows invoke a Lambda function with no --lambda mapping:\n {2}arn:aws:lambda:eu-west-1:111122223333:function:notify:live {2}\(flows\/confirmation\.json: notify\)/,
    );
    expect(Object.keys(mapped.functions)).toEqual([LOOKUP, NOTIFY]);
  });

  it("refuses two modules for one function, and prefers an exact ARN over a name", async () => {
    const twice = await resolveFunctions(
      flow(invoke("lookup", LOOKUP)),
      [
        { key: "fernhill-order-status", path: "order-status-lookup.mjs" },
        { key: "fernhill-order-status", path: "other.mjs" },
      ],
      [],
      examples,
      () => undefined,
    ).catch((error: unknown) => error);
    const exact = await resolveFunctions(
      flow(invoke("lookup", LOOKUP)),
      [
        { key: "fernhill-order-status", path: "missing.mjs" },
        { key: LOOKUP, path: "order-status-lookup.mjs" },
      ],
      [],
      examples,
      () => undefined,
    );

    expect(twice).toBeInstanceOf(LambdaMappingError);
    expect((twice as Error).message).toMatch(/is mapped twice/);
    expect(exact.mapped).toEqual([{ arn: LOOKUP, module: "order-status-lookup.mjs" }]);
  });
});
