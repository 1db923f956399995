// `pnpm --filter @holdline/bench bench:reader-cpu`: only connect-answer's CPU per warm invocation (build the
// bundles first: `pnpm --filter @holdline/bench bench:bundles`, or `pnpm build`).
import { measureReaderCpu, readerCpuTable } from "./reader-cpu.ts";

const result = measureReaderCpu();
console.log(
  `\n## connect-answer's CPU per warm invocation (node ${process.version}, ${result.invocations} invocations, ` +
    `${result.wallMsPerInvocation.toFixed(1)} ms of wall time each)\n`,
);
console.log(readerCpuTable(result));
