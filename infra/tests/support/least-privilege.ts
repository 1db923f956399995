import type { ProgramRun, RegisteredResource } from "./pulumi-program.ts";

interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly NotAction?: unknown;
  readonly Resource?: string | string[];
  readonly NotResource?: unknown;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Condition?: unknown;
}

export interface FoundPolicy {
  /** Where the document was found, for the failure message. */
  readonly where: string;
  readonly kind: "identity" | "trust";
  readonly statements: readonly Statement[];
}

const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const parseDocument = (json: unknown): Statement[] => {
  const document = typeof json === "string" ? JSON.parse(json) : json;
  return asList((document as { Statement?: Statement | Statement[] }).Statement);
};

/**
 * Every IAM policy document the program creates, wherever it sits: inline role policies, a role's
 * `inlinePolicies`, standalone managed policies, role trust policies, and queue/topic policies.
 */
export function policyDocuments(run: ProgramRun): FoundPolicy[] {
  const found: FoundPolicy[] = [];
  const add = (resource: RegisteredResource, field: string, kind: FoundPolicy["kind"], json: unknown) => {
    if (json !== undefined && json !== "") {
      found.push({
        where: `${resource.type} ${resource.name}.${field}`,
        kind,
        statements: parseDocument(json),
      });
    }
  };
  for (const resource of run.resources) {
    switch (resource.type) {
      case "aws:iam/rolePolicy:RolePolicy":
      case "aws:iam/policy:Policy":
      case "aws:iam/userPolicy:UserPolicy":
      case "aws:iam/groupPolicy:GroupPolicy":
      case "aws:sqs/queuePolicy:QueuePolicy":
      case "aws:sns/topicPolicy:TopicPolicy":
        add(resource, "policy", "identity", resource.inputs.policy);
        break;
      case "aws:iam/role:Role":
        add(resource, "assumeRolePolicy", "trust", resource.inputs.assumeRolePolicy);
        for (const [index, inline] of asList(resource.inputs.inlinePolicies).entries()) {
          add(resource, `inlinePolicies[${index}]`, "identity", (inline as { policy?: unknown }).policy);
        }
        break;
      case "aws:sqs/queue:Queue":
        add(resource, "policy", "identity", resource.inputs.policy);
        break;
    }
  }
  return found;
}

export interface PrivilegeRules {
  /** ARNs outside the stack a statement may name: the configured model, profile and guardrail. */
  readonly externalArns: readonly string[];
}

const SPECIFIC_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const LOG_STREAM_ACTIONS = new Set(["logs:CreateLogStream", "logs:PutLogEvents"]);

/**
 * What makes a policy wider than Holdline needs, one line per finding: a wildcard or `Not*` element, an
 * action that is not one specific API action, a resource that is `*`, holds a wildcard, or names anything
 * but a resource of this stack or a configured model/guardrail. The one wildcard AWS requires — log
 * streams, which Lambda names at run time — is allowed only as `<a log group of this stack>:*` and only
 * for creating streams and putting events.
 */
export function privilegeViolations(run: ProgramRun, rules: PrivilegeRules): string[] {
  const violations: string[] = [];
  const stackArns = new Set(
    run.resources
      .map((resource) => resource.state.arn)
      .filter((arn): arn is string => typeof arn === "string"),
  );
  const logGroupArns = new Set(
    run.ofType("aws:cloudwatch/logGroup:LogGroup").map((group) => String(group.state.arn)),
  );
  const externalArns = new Set(rules.externalArns);
  // Managed policies (AWS's own use `*` freely) are not walked here, so none may be attached.
  for (const attachment of [
    ...run.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment"),
    ...run.ofType("aws:iam/policyAttachment:PolicyAttachment"),
  ]) {
    violations.push(`${attachment.name}: attaches a managed policy (${attachment.inputs.policyArn})`);
  }
  for (const role of run.ofType("aws:iam/role:Role")) {
    if (asList(role.inputs.managedPolicyArns).length > 0) {
      violations.push(`${role.name}: managedPolicyArns ${JSON.stringify(role.inputs.managedPolicyArns)}`);
    }
  }

  for (const policy of policyDocuments(run)) {
    for (const [index, statement] of policy.statements.entries()) {
      const at = `${policy.where} statement ${statement.Sid ?? index}`;
      for (const element of ["NotAction", "NotResource", "NotPrincipal"] as const) {
        if (statement[element] !== undefined) violations.push(`${at}: uses ${element}`);
      }
      if (statement.Effect !== "Allow") violations.push(`${at}: Effect ${statement.Effect}`);
      const actions = asList(statement.Action);
      if (actions.length === 0) violations.push(`${at}: no Action`);
      for (const action of actions) {
        if (!SPECIFIC_ACTION.test(action))
          violations.push(`${at}: action ${JSON.stringify(action)} is not one API action`);
      }
      if (policy.kind === "trust") {
        const principal = JSON.stringify(statement.Principal);
        if (principal !== JSON.stringify({ Service: "lambda.amazonaws.com" })) {
          violations.push(`${at}: trusts ${principal}`);
        }
        if (actions.join() !== "sts:AssumeRole") violations.push(`${at}: trust grants ${actions.join()}`);
        continue;
      }
      const resources = asList(statement.Resource);
      if (resources.length === 0) violations.push(`${at}: no Resource`);
      for (const resource of resources) {
        const isLogStreams =
          resource.endsWith(":*") &&
          logGroupArns.has(resource.slice(0, -2)) &&
          actions.every((action) => LOG_STREAM_ACTIONS.has(action));
        if (isLogStreams) continue;
        if (resource.includes("*")) {
          violations.push(`${at}: resource ${JSON.stringify(resource)} holds a wildcard`);
        } else if (!stackArns.has(resource) && !externalArns.has(resource)) {
          violations.push(`${at}: resource ${resource} is neither this stack's nor configured`);
        }
      }
    }
  }
  return violations;
}
