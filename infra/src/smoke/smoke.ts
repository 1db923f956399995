import { createSmokeLambdaClient } from "./lambda-invoke.ts";
import { readPulumiStack } from "./pulumi-stack.ts";
import { runSmokeCommand } from "./smoke-command.ts";

// `pnpm smoke`: see smoke-options.ts's usage and docs/deploy.md. The SDK warns on Node 20 about its releases
// after January 2027; Holdline's tools support Node 20 today.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

process.exitCode = await runSmokeCommand(process.argv.slice(2), {
  readStack: readPulumiStack,
  lambdaClient: createSmokeLambdaClient,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
