// Runs in a child process on the Lambda runtime's Node: loads one bundle as Lambda would (environment first,
// then the module once) and calls its handler for each invocation with a Lambda-like context. Reads the request
// as JSON on stdin and writes the results to the file it names; stdout is left to the bundle's own logs.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const request = JSON.parse(readFileSync(0, "utf8"));
const { handler } = await import(pathToFileURL(request.bundle).href);
const results = [];
for (const invocation of request.invocations) {
  const startedAt = Date.now();
  const context = {
    awsRequestId: invocation.requestId,
    functionName: request.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? "us-east-1"}:111122223333:function:${request.functionName}`,
    memoryLimitInMB: "256",
    logGroupName: `/aws/lambda/${request.functionName}`,
    logStreamName: "local",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, request.timeoutMs - (Date.now() - startedAt)),
  };
  try {
    results.push({ ok: true, value: await handler(invocation.event, context) });
  } catch (error) {
    results.push({ ok: false, error: String(error?.stack ?? error) });
  }
}
writeFileSync(request.resultFile, JSON.stringify({ nodeVersion: process.version, results }));
// Open SDK sockets would keep the process alive, as a frozen Lambda sandbox would; the work is done.
process.exit(0);
