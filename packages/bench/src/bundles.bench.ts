// `pnpm --filter @holdline/bench bench:bundles`: only the bundle sizes and cold module-load times.
import { bundlesTable, measureBundles } from "./lambda-bundles.ts";

const measurement = measureBundles();
console.log(
  `\n## Lambda bundles (node ${process.version}, median of ${measurement.runs} fresh processes, ` +
    `bare node ${measurement.bareNodeMs.toFixed(0)} ms subtracted)\n`,
);
console.log(bundlesTable(measurement));
if (measurement.offenders.length > 0) {
  console.error(
    `\nConnect-facing bundles must not contain the Bedrock client: ${measurement.offenders.join(", ")}`,
  );
  process.exitCode = 1;
}
