import * as pulumi from "@pulumi/pulumi";

/**
 * An IAM identity policy statement, typed narrowly on purpose: only `Allow`, only explicit `Action` and
 * `Resource` lists (no `NotAction`/`NotResource`), so a policy reads as exactly what it grants.
 */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: readonly string[];
  readonly Resource: readonly pulumi.Input<string>[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, pulumi.Input<string>>>>>;
}

export const allow = (
  sid: string,
  actions: readonly string[],
  resources: readonly pulumi.Input<string>[],
): PolicyStatement => ({ Sid: sid, Effect: "Allow", Action: actions, Resource: resources });

/** The JSON of a policy document whose statements may hold outputs (ARNs of resources not yet created). */
export const policyJson = (statements: readonly PolicyStatement[]): pulumi.Output<string> =>
  pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });

/** The trust policy that lets only the Lambda service assume a function's role. */
export const lambdaTrustPolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
