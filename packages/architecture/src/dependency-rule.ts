/**
 * The dependency rule: which workspace package's production code (`src/`) may import which other package,
 * and what its tests may import besides. This table is the map: `docs/architecture.md`'s package diagram is
 * generated from it, and `pnpm test` fails when the code imports anything the table does not allow, or when
 * the table allows a production import that the code no longer makes (so the diagram never shows a dead edge).
 */

export type Layer = "contract" | "domain" | "adapter" | "composition" | "app" | "flow" | "local" | "deploy";

export interface PackageRule {
  readonly layer: Layer;
  /** What the package is for, in the diagram's words. */
  readonly role: string;
  /** Workspace packages (by folder) that production code may import: exactly the ones it does. */
  readonly src: readonly string[];
  /** Further workspace packages its tests, benchmarks and test support may import. */
  readonly tests?: readonly string[];
  /**
   * Third-party packages production code may import, where the layer promises to stay free of the rest
   * (the domain knows no AWS SDK). Absent: not restricted.
   */
  readonly npm?: readonly string[];
  /** A harness (demo, bench): its production code may use other packages' test doubles and virtual time. */
  readonly harness?: boolean;
}

const DOMAIN_TESTING = ["packages/domain"];

/** What a Lambda app is made of: use cases, the budget, composition's modules, and its edge's mapping. */
const lambdaApp = (edge: string, role: string, tests: readonly string[]): PackageRule => ({
  layer: "app",
  role,
  src: [edge, "packages/budget", "packages/composition", "packages/domain"],
  tests: ["packages/adapters-dynamodb", "packages/lambda-runtime", "packages/local-aws", ...tests],
});

export const DEPENDENCY_RULE: Readonly<Record<string, PackageRule>> = {
  "packages/connect-contract": {
    layer: "contract",
    role: "flow↔Lambda names",
    src: [],
    npm: [],
  },
  "packages/domain": {
    layer: "domain",
    role: "state machine, use cases, ports",
    src: [],
    npm: ["inversify"],
  },
  "packages/budget": {
    layer: "domain",
    role: "every timeout, derived",
    src: ["packages/domain"],
    npm: [],
  },
  "packages/adapters-dynamodb": {
    layer: "adapter",
    role: "ExecutionStore on DynamoDB",
    src: ["packages/domain"],
    tests: ["packages/adapters-node", "packages/local-aws"],
  },
  "packages/adapters-bedrock": {
    layer: "adapter",
    role: "LlmClient on Bedrock",
    src: ["packages/domain"],
    tests: ["packages/adapters-node", "packages/local-aws"],
  },
  "packages/adapters-lambda": {
    layer: "adapter",
    role: "WorkDispatcher: Lambda Event invoke",
    src: ["packages/domain"],
    tests: ["packages/local-aws"],
  },
  "packages/adapters-sms": {
    layer: "adapter",
    role: "TextMessageSender on End User Messaging SMS",
    src: ["packages/domain"],
    tests: ["packages/local-aws"],
  },
  "packages/adapters-faq": {
    layer: "adapter",
    role: "LlmClient: embedded FAQ model",
    src: ["packages/domain"],
    tests: ["packages/adapters-node"],
  },
  "packages/adapters-node": {
    layer: "adapter",
    role: "Clock: wall clock",
    src: ["packages/domain"],
  },
  "packages/adapters-connect": {
    layer: "adapter",
    role: "Connect event → command, execution → response",
    src: ["packages/connect-contract", "packages/domain"],
  },
  "packages/composition": {
    layer: "composition",
    role: "config schema, one module per port, Connect handler wrapper",
    src: [
      "packages/adapters-bedrock",
      "packages/adapters-connect",
      "packages/adapters-dynamodb",
      "packages/adapters-faq",
      "packages/adapters-lambda",
      "packages/adapters-node",
      "packages/adapters-sms",
      "packages/budget",
      "packages/domain",
    ],
  },
  "apps/connect-start": lambdaApp("packages/adapters-connect", "λ start a turn", []),
  "apps/connect-status": lambdaApp("packages/adapters-connect", "λ long-poll a turn", [
    "packages/adapters-node",
  ]),
  "apps/connect-answer": lambdaApp("packages/adapters-connect", "λ native-async answer", []),
  "apps/answer-worker": lambdaApp("packages/adapters-lambda", "λ run the model", ["packages/adapters-node"]),
  "apps/failure-recorder": lambdaApp("packages/adapters-lambda", "λ SQS on-failure records", [
    "packages/adapters-node",
  ]),
  "apps/connect-text-offer": {
    ...lambdaApp("packages/adapters-connect", "λ text offer: the caller's consent", []),
    // The offer's response key and outcomes.
    src: [
      "packages/adapters-connect",
      "packages/budget",
      "packages/composition",
      "packages/connect-contract",
      "packages/domain",
    ],
  },
  "apps/caller-left": {
    layer: "app",
    role: "λ contact event: the caller left",
    src: ["packages/budget", "packages/composition", "packages/domain"],
    tests: ["packages/adapters-dynamodb", "packages/lambda-runtime", "packages/local-aws"],
  },
  "apps/text-delivery": {
    layer: "app",
    role: "λ table stream: send the text",
    src: ["packages/budget", "packages/composition", "packages/domain"],
    tests: ["packages/adapters-dynamodb", "packages/lambda-runtime", "packages/local-aws"],
  },
  "apps/lex-transcript": {
    layer: "app",
    role: "λ Lex code hook",
    src: ["packages/composition", "packages/connect-contract"],
    tests: ["packages/lambda-runtime", "packages/local-aws"],
  },
  "packages/contact-flow": {
    layer: "flow",
    role: "flow builder and validator",
    src: ["packages/budget", "packages/connect-contract"],
    npm: [],
  },
  "packages/connect-emulator": {
    layer: "flow",
    role: "runs flow JSON with Connect's semantics",
    src: ["packages/contact-flow", "packages/domain"],
    tests: ["packages/adapters-node", "apps/lex-transcript", "packages/budget", "packages/connect-contract"],
  },
  "packages/local-aws": {
    layer: "local",
    role: "dynalite, Bedrock stub, Lambda endpoint, SMS stub",
    src: [],
  },
  "packages/local-call": {
    layer: "local",
    role: "the whole system on one machine: pnpm demo",
    harness: true,
    src: [
      "apps/answer-worker",
      "apps/caller-left",
      "apps/connect-answer",
      "apps/connect-start",
      "apps/connect-status",
      "apps/connect-text-offer",
      "apps/failure-recorder",
      "apps/text-delivery",
      "packages/adapters-bedrock",
      "packages/adapters-dynamodb",
      "packages/adapters-faq",
      "packages/adapters-lambda",
      "packages/adapters-node",
      "packages/adapters-sms",
      "packages/budget",
      "packages/composition",
      "packages/connect-contract",
      "packages/connect-emulator",
      "packages/contact-flow",
      "packages/domain",
      "packages/local-aws",
    ],
  },
  "packages/emulate": {
    layer: "local",
    role: "pnpm emulate: your own flow, your Lambda modules",
    harness: true,
    src: ["packages/adapters-node", "packages/connect-emulator", "packages/contact-flow", "packages/domain"],
  },
  "packages/bench": {
    layer: "local",
    role: "pnpm bench",
    harness: true,
    src: [
      "packages/adapters-dynamodb",
      "packages/adapters-faq",
      "packages/adapters-node",
      "packages/budget",
      "packages/connect-emulator",
      "packages/contact-flow",
      "packages/domain",
      "packages/local-aws",
      "packages/local-call",
    ],
  },
  "packages/lambda-runtime": {
    layer: "deploy",
    role: "Lambda's Node: nodejs24.x, its binary, a bundle runner",
    src: [],
  },
  "packages/architecture": {
    layer: "deploy",
    role: "this rule, checked",
    src: [],
  },
  infra: {
    layer: "deploy",
    role: "Pulumi program",
    src: [
      "packages/adapters-dynamodb",
      "packages/budget",
      "packages/connect-contract",
      "packages/contact-flow",
      "packages/lambda-runtime",
    ],
    tests: [
      "apps/answer-worker",
      "apps/connect-answer",
      "apps/connect-start",
      "apps/connect-status",
      "apps/failure-recorder",
      "apps/lex-transcript",
      // pnpm smoke's tests: the real handlers (local-call's wiring) behind the local Lambda endpoint, on dynalite.
      "packages/adapters-node",
      "packages/local-aws",
      "packages/local-call",
    ],
  },
};

/** The domain's test doubles and contract suites (`@holdline/domain/testing/*`) are open to every test. */
export const OPEN_TO_TESTS: readonly string[] = DOMAIN_TESTING;
