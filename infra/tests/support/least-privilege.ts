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
  /** The role the document belongs to (a trust policy, an inline or role policy), by its id. */
  readonly roleId: string | undefined;
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
  const add = (
    resource: RegisteredResource,
    field: string,
    kind: FoundPolicy["kind"],
    json: unknown,
    roleId?: unknown,
  ) => {
    if (json !== undefined && json !== "") {
      found.push({
        where: `${resource.type} ${resource.name}.${field}`,
        kind,
        statements: parseDocument(json),
        roleId: typeof roleId === "string" ? roleId : undefined,
      });
    }
  };
  for (const resource of run.resources) {
    switch (resource.type) {
      case "aws:iam/rolePolicy:RolePolicy":
        add(resource, "policy", "identity", resource.inputs.policy, resource.inputs.role);
        break;
      case "aws:iam/policy:Policy":
      case "aws:iam/userPolicy:UserPolicy":
      case "aws:iam/groupPolicy:GroupPolicy":
      case "aws:sqs/queuePolicy:QueuePolicy":
      case "aws:sns/topicPolicy:TopicPolicy":
        add(resource, "policy", "identity", resource.inputs.policy);
        break;
      case "aws:iam/role:Role":
        add(resource, "assumeRolePolicy", "trust", resource.inputs.assumeRolePolicy, resource.state.id);
        for (const [index, inline] of asList(resource.inputs.inlinePolicies).entries()) {
          const { policy } = inline as { policy?: unknown };
          add(resource, `inlinePolicies[${index}]`, "identity", policy, resource.state.id);
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
  /**
   * ARNs outside the stack a statement may name: the configured model, profile and guardrail, the SMS origination
   * identity and configuration set.
   */
  readonly externalArns: readonly string[];
}

const SPECIFIC_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const LOG_STREAM_ACTIONS = new Set(["logs:CreateLogStream", "logs:PutLogEvents"]);
const LAMBDA_SERVICE = JSON.stringify({ Service: "lambda.amazonaws.com" });
const LEX_SERVICE = JSON.stringify({ Service: "lexv2.amazonaws.com" });
/** Polly's SynthesizeSpeech takes no resource but `*` (Amazon Polly API permissions reference). */
const RESOURCELESS_ACTIONS = new Set(["polly:SynthesizeSpeech"]);

/**
 * What makes a policy wider than Holdline needs, one line per finding: a wildcard or `Not*` element, an
 * action that is not one specific API action, a resource that is `*`, holds a wildcard, or names anything
 * but a resource of this stack or a configured model/guardrail. Two wildcards AWS requires are allowed,
 * each where it is needed only: log streams, which Lambda names at run time, as `<a log group of this
 * stack>:*` for creating streams and putting events; and `*` for Polly's SynthesizeSpeech alone, in a
 * policy of a role a Lex bot of this stack runs with. A role may be trusted by Lambda, or by Lex V2 when a
 * bot of this stack runs with it; by nothing else. IAM made through `aws-native`, which this walker does
 * not read, is refused.
 */
export function privilegeViolations(run: ProgramRun, rules: PrivilegeRules): string[] {
  const violations: string[] = [];
  // A table's stream is the table's: its ARN is the table's state too.
  const stackArns = new Set(
    run.resources
      .flatMap((resource) => [resource.state.arn, resource.state.streamArn])
      .filter((arn): arn is string => typeof arn === "string"),
  );
  const logGroupArns = new Set(
    run.ofType("aws:cloudwatch/logGroup:LogGroup").map((group) => String(group.state.arn)),
  );
  const externalArns = new Set(rules.externalArns);
  const botRoleArns = new Set(run.ofType("aws-native:lex:Bot").map((bot) => String(bot.inputs.roleArn)));
  const botRoleIds = new Set(
    run
      .ofType("aws:iam/role:Role")
      .filter((role) => botRoleArns.has(String(role.state.arn)))
      .map((role) => String(role.state.id)),
  );
  for (const resource of run.resources.filter((candidate) => candidate.type.startsWith("aws-native:iam:"))) {
    violations.push(`${resource.name}: ${resource.type} is IAM this walker does not read`);
  }
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
      const ofBotRole = policy.roleId !== undefined && botRoleIds.has(policy.roleId);
      if (policy.kind === "trust") {
        const principal = JSON.stringify(statement.Principal);
        if (principal !== LAMBDA_SERVICE && !(principal === LEX_SERVICE && ofBotRole)) {
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
        const isResourcelessAction =
          resource === "*" && ofBotRole && actions.every((action) => RESOURCELESS_ACTIONS.has(action));
        if (isResourcelessAction) continue;
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
