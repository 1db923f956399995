import { FLOW_LANGUAGE_VERSION, type FlowAction, type FlowDocument } from "./flow-language.ts";
import { type FlowIssue, hasErrors, validateFlow } from "./validate-flow.ts";

/** A built flow failed validation; `issues` says where. */
export class InvalidFlowError extends Error {
  readonly code = "invalid_flow";

  constructor(readonly issues: readonly FlowIssue[]) {
    super(`invalid flow:\n${issues.map((issue) => `  ${issue.code}: ${issue.message}`).join("\n")}`);
    this.name = "InvalidFlowError";
  }
}

export interface FlowMetadataOptions {
  /** Shown as the flow's name in the console. */
  readonly name: string;
  readonly description?: string;
}

/**
 * Collects actions and produces a flow document that has passed `validateFlow` with no finding at all,
 * warnings included: a flow Holdline generates is never "probably fine".
 */
export class FlowBuilder {
  private readonly actions = new Map<string, FlowAction>();

  add(...actions: readonly FlowAction[]): this {
    for (const action of actions) {
      if (this.actions.has(action.Identifier)) {
        throw new InvalidFlowError([
          {
            code: "duplicate_identifier",
            severity: "error",
            identifier: action.Identifier,
            message: `Identifier "${action.Identifier}" is added twice`,
          },
        ]);
      }
      this.actions.set(action.Identifier, action);
    }
    return this;
  }

  build(startAction: string, metadata?: FlowMetadataOptions): FlowDocument {
    const actions = [...this.actions.values()];
    const flow: FlowDocument = {
      Version: FLOW_LANGUAGE_VERSION,
      StartAction: startAction,
      ...(metadata === undefined ? {} : { Metadata: layoutMetadata(startAction, actions, metadata) }),
      Actions: actions,
    };
    const issues = validateFlow(flow);
    if (issues.length > 0 || hasErrors(issues)) throw new InvalidFlowError(issues);
    return flow;
  }
}

/** Identifiers the console generates; any other Identifier is a friendly name (`isFriendlyName`). */
const CONSOLE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The console's "Set voice" block with "Set language" overridden is two actions, exported as one block: the
 * voice action's metadata names the language action as its child fragment, and the child sits at the same
 * position (the seed 000 export; see docs/contact-flow.md). Returns voice → language for each such pair.
 */
function voiceLanguagePairs(actions: readonly FlowAction[]): Map<string, string> {
  const byId = new Map(actions.map((action) => [action.Identifier, action]));
  const pairs = new Map<string, string>();
  for (const action of actions) {
    if (action.Type !== "UpdateContactTextToSpeechVoice") continue;
    const next = byId.get(action.Transitions.NextAction ?? "");
    if (next?.Type === "UpdateContactData" && Object.keys(next.Parameters).join() === "LanguageCode")
      pairs.set(action.Identifier, next.Identifier);
  }
  return pairs;
}

/**
 * Console metadata as the console writes it (lower camel case: `entryPointPosition`, `position`,
 * `isFriendlyName` on friendly identifiers), with a simple left-to-right layout (one column per distance
 * from the start).
 */
function layoutMetadata(
  startAction: string,
  actions: readonly FlowAction[],
  { name, description = "" }: FlowMetadataOptions,
): Record<string, unknown> {
  const byId = new Map(actions.map((action) => [action.Identifier, action]));
  const depth = new Map<string, number>([[startAction, 0]]);
  const queue = [startAction];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    const transitions = byId.get(current)?.Transitions;
    const next = [
      transitions?.NextAction,
      ...(transitions?.Conditions ?? []).map((condition) => condition.NextAction),
      ...(transitions?.Errors ?? []).map((error) => error.NextAction),
    ];
    for (const target of next) {
      if (target !== undefined && !depth.has(target)) {
        depth.set(target, (depth.get(current) ?? 0) + 1);
        queue.push(target);
      }
    }
  }
  const pairs = voiceLanguagePairs(actions);
  const children = new Map([...pairs].map(([voice, language]) => [language, voice]));
  const rows = new Map<number, number>();
  const positions = new Map<string, { x: number; y: number }>();
  for (const action of actions) {
    if (children.has(action.Identifier)) continue;
    const column = depth.get(action.Identifier) ?? 0;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    positions.set(action.Identifier, { x: 160 + column * 260, y: 40 + row * 200 });
  }
  const metadata: Record<string, unknown> = {};
  for (const action of actions) {
    const id = action.Identifier;
    const parent = children.get(id);
    const language = pairs.get(id);
    metadata[id] = {
      position: positions.get(parent ?? id),
      ...(CONSOLE_UUID.test(id) ? {} : { isFriendlyName: true }),
      ...(language === undefined
        ? {}
        : {
            children: [language],
            overrideConsoleVoice: true,
            fragments: { SetContactData: language },
            overrideLanguageAttribute: true,
          }),
      ...(parent === undefined ? {} : { dynamicParams: [] }),
    };
  }
  return {
    entryPointPosition: { x: 20, y: 40 },
    ActionMetadata: metadata,
    Annotations: [],
    name,
    description,
    type: "contactFlow",
    status: "published",
    hash: {},
  };
}
