import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  fullQueueSetup,
  ResourceMappingError,
  readFlowResources,
  resourceReferences,
  sameResource,
  unmatchedResources,
} from "../../src/connect-resources.ts";
import { readFlowFile } from "../../src/flow-file.ts";

const fixtures = fileURLToPath(new URL("../fixtures/flows/", import.meta.url));
const INSTANCE = "arn:aws:connect:eu-west-1:111122223333:instance/5b0e6a8e-3c1f-4d7a-9a52-0f2c7d9e41aa";
const CONFIRMATION = `${INSTANCE}/contact-flow/bad078eb-8903-51bf-9904-f5bdf507d3fb`;
const HOURS = `${INSTANCE}/operating-hours/2710b899-bab3-55c4-bcfe-c09791687f88`;
const QUEUE = `${INSTANCE}/queue/fcaa6310-908b-5893-9f75-fadf9d04c07a`;

const references = async (...names: string[]) =>
  resourceReferences(
    await Promise.all(names.map(async (name) => ({ flow: await readFlowFile(`${fixtures}${name}`) }))),
  );

describe("sameResource", () => {
  it("matches an id with its ARN, qualified or not", () => {
    expect(sameResource(CONFIRMATION, "bad078eb-8903-51bf-9904-f5bdf507d3fb")).toBe(true);
    expect(sameResource(`${CONFIRMATION}:$LATEST`, CONFIRMATION)).toBe(true);
    expect(sameResource(CONFIRMATION, HOURS)).toBe(false);
  });
});

describe("resourceReferences", () => {
  it("collects the flows, hours and queues the actions name, and the queues' names from the metadata", async () => {
    const found = await references("transfer.flow.json", "hours.flow.json", "queue.flow.json");

    expect(found.named).toEqual({ flow: [CONFIRMATION], module: [], hours: [HOURS], queue: [QUEUE] });
    expect(found.queueNames.get("Fixture support")).toEqual([QUEUE]);
    expect(found.computed.size).toBe(0);
  });
});

describe("unmatchedResources", () => {
  it("warns about --flow, --module and --hours keys no action names", async () => {
    const found = await references("transfer.flow.json", "hours.flow.json");

    expect(
      unmatchedResources(
        {
          flow: [
            { key: "bad078eb-8903-51bf-9904-f5bdf507d3fb", path: "a.json" },
            { key: "survey", path: "b.json" },
          ],
          module: [{ key: "greeting", path: "c.json" }],
          hours: [{ key: HOURS, path: "d.json" }],
        },
        found,
      ),
    ).toEqual([
      "--flow survey matches no flow the flows transfer to (TransferToFlow)",
      "--module greeting matches no module the flows invoke (InvokeFlowModule)",
    ]);
  });
});

describe("fullQueueSetup", () => {
  it("marks the queue full by ARN, by id or by its name in the console's metadata", async () => {
    const found = await references("queue.flow.json");
    const warnings: string[] = [];

    for (const key of [QUEUE, "fcaa6310-908b-5893-9f75-fadf9d04c07a", "Fixture support"]) {
      expect(fullQueueSetup([key], found, (warning) => warnings.push(warning))).toEqual({
        [QUEUE]: { atCapacity: true },
      });
    }
    expect(warnings).toEqual([]);
  });

  it("keeps a queue no flow names, with a warning", async () => {
    const found = await references("queue.flow.json");
    const warnings: string[] = [];

    expect(fullQueueSetup(["Overflow"], found, (warning) => warnings.push(warning))).toEqual({
      Overflow: { atCapacity: true },
    });
    expect(warnings).toEqual([
      "--queue-full Overflow matches no queue the flows name (by ARN, id or the name in their metadata)",
    ]);
  });
});

describe("readFlowResources", () => {
  it("reads each file, keyed as given and labelled by the path typed", async () => {
    const { documents, labelled } = await readFlowResources(
      "flow",
      [{ key: CONFIRMATION, path: "confirmation.flow.json" }],
      fixtures,
    );

    expect(Object.keys(documents)).toEqual([CONFIRMATION]);
    expect(labelled[0]?.label).toBe("confirmation.flow.json");
    expect(labelled[0]?.flow.Actions[0]?.Type).toBe("InvokeLambdaFunction");
  });

  it("refuses one flow given two different files, by id and by ARN", async () => {
    await expect(
      readFlowResources(
        "flow",
        [
          { key: CONFIRMATION, path: "confirmation.flow.json" },
          { key: "bad078eb-8903-51bf-9904-f5bdf507d3fb", path: "transfer.flow.json" },
        ],
        fixtures,
      ),
    ).rejects.toThrow(ResourceMappingError);
  });
});
