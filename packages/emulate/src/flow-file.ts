import { readFile } from "node:fs/promises";
import type { FlowDocument } from "@holdline/contact-flow/flow-language";

/** The flow file cannot be read or is not flow-language JSON: the user's input, exit code 2. */
export class FlowFileError extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * The flow in a file: flow-language JSON as the console exports it, or the output of
 * `aws connect describe-contact-flow` (`{ "ContactFlow": { "Content": "<the flow as a string>" } }`) or of
 * `aws connect describe-contact-flow-module` (`{ "ContactFlowModule": { "Content": … } }`).
 * Only the outline is checked here; the emulator refuses a structurally broken flow itself.
 */
export function flowFrom(json: unknown, path: string): FlowDocument {
  let flow = json;
  if (isObject(flow) && isObject(flow.ContactFlow)) flow = flow.ContactFlow;
  else if (isObject(flow) && isObject(flow.ContactFlowModule)) flow = flow.ContactFlowModule;
  if (isObject(flow) && typeof flow.Content === "string") {
    try {
      flow = JSON.parse(flow.Content);
    } catch (error) {
      throw new FlowFileError(`${path}: Content is not JSON: ${(error as Error).message}`);
    }
  }
  if (!isObject(flow) || !Array.isArray(flow.Actions) || typeof flow.StartAction !== "string") {
    throw new FlowFileError(
      `${path} is not a contact flow: expected flow-language JSON with "StartAction" and "Actions" (a console export)`,
    );
  }
  return flow as unknown as FlowDocument;
}

export async function readFlowFile(path: string): Promise<FlowDocument> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new FlowFileError(`cannot read the flow ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FlowFileError(`${path} is not JSON: ${(error as Error).message}`);
  }
  return flowFrom(json, path);
}
