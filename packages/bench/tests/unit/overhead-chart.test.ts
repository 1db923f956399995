import { describe, expect, it } from "vitest";
import { niceStep, renderOverheadChart } from "../../src/overhead-chart.ts";

const chart = (p50: (number | undefined)[], label = "Holdline polling") =>
  renderOverheadChart({
    title: "Answer delay",
    subtitle: "p50 and p99",
    xLabels: ["1 s", "3 s", "7 s"],
    series: [
      { label, color: "#1b9e77", p50, p99: p50.map((value) => (value === undefined ? value : value * 2)) },
    ],
  });

const count = (svg: string, pattern: RegExp) => svg.match(pattern)?.length ?? 0;

describe("renderOverheadChart", () => {
  it("draws one p50 and one p99 line through every point of a series, with a label per x value", () => {
    // Act
    const svg = chart([100, 1_500, 200]);

    // Assess
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(count(svg, /<polyline /g)).toBe(2);
    expect(count(svg, /<circle /g)).toBe(3);
    for (const label of ["1 s", "3 s", "7 s", "Holdline polling", "p50", "p99"])
      expect(svg).toContain(`>${label}<`);
  });

  it("breaks the line where a cell had no answered call, and says so", () => {
    // Act
    const svg = chart([100, undefined, 200]);

    // Assess: two one-point runs per percentile instead of a line bridging the gap.
    expect(count(svg, /<polyline /g)).toBe(4);
    expect(count(svg, /<circle /g)).toBe(2);
    expect(svg).toContain("Holdline polling: no answer");
  });

  it("escapes text", () => {
    expect(chart([1], "a < b & c")).toContain(">a &lt; b &amp; c<");
  });
});

describe("niceStep", () => {
  it("picks a round gridline step for the largest value", () => {
    expect(niceStep(2_120)).toBe(500);
    expect(niceStep(60)).toBe(10);
    expect(niceStep(0)).toBe(1);
  });
});
