import { cellsOf } from "./fault-cells.ts";
import { describeMatrix } from "./matrix-suite.ts";

// One file, so every cell of both strategies runs side by side (vitest runs files one after another here).
describeMatrix("fault matrix: each fault at each step of a real-time call, both strategies", [
  ...cellsOf("polling"),
  ...cellsOf("native-async"),
]);
