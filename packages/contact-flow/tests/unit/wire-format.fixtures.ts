import type { FlowAction, FlowDocument } from "../../src/flow-language.ts";
import { type FlowIssue, validateFlow } from "../../src/validate-flow.ts";

/**
 * Shared by the wire-format tests (validate-flow-wire-format.test.ts, validate-flow-wire-format-values.test.ts):
 * the validator's rules about the console's wire format. Sources, cited per test:
 * - MGW: mgaffigan/pulumi-amazon-connect docs/wire-format-checks.md @ 05a26ef7 (what the live CreateContactFlow
 *   API rejected and required);
 * - GM sample_ab_test / sample_secure_input: GoodMeasuresLLC/connect
 *   environments/staging/contact_flows/sample_ab_test.json, sample_secure_input_with_no_agent.json @ 8139c58a
 *   (AWS sample flows as exported from an instance and deployed with CreateContactFlow);
 * - S6: a public Terraform file embedding console exports (Wait with TimeLimitSeconds; repository not known);
 * - the seed: src/reference/seed-000-flow.json, a console export;
 * - issue 14: the real export it reports (InputTimeLimitSeconds "300").
 */

export const BYE = "bye";
const hangUp: FlowAction = {
  Parameters: {},
  Identifier: BYE,
  Type: "DisconnectParticipant",
  Transitions: {},
};
export const action = (
  Type: string,
  Parameters: Record<string, unknown>,
  Transitions: FlowAction["Transitions"] = {
    NextAction: BYE,
    Errors: [{ NextAction: BYE, ErrorType: "NoMatchingError" }],
  },
  Identifier = "step",
): FlowAction => ({ Parameters, Identifier, Type, Transitions });
const flowOf = (...actions: FlowAction[]): FlowDocument => ({
  Version: "2019-10-30",
  StartAction: actions[0]?.Identifier ?? "none",
  Actions: [...actions, hangUp],
});
export const when = (operand: string, next = BYE, Operator: string = "Equals") => ({
  NextAction: next,
  Condition: { Operator, Operands: [operand] } as never,
});
export const error = (ErrorType: string) => ({ NextAction: BYE, ErrorType });
export const findings = (...actions: FlowAction[]): FlowIssue[] => validateFlow(flowOf(...actions));
export const summary = (...actions: FlowAction[]) =>
  findings(...actions).map((issue) => `${issue.severity} ${issue.code}`);
