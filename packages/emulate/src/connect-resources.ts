import { isAbsolute, resolve } from "node:path";
import { resourceKey } from "@holdline/connect-emulator/flow-structure";
import type { HoursOfOperation } from "@holdline/connect-emulator/hours-of-operation";
import type { QueueSetup } from "@holdline/connect-emulator/routing-blocks";
import type { FlowDocument } from "@holdline/contact-flow/flow-language";
import type { ResourceMapping } from "./emulate-options.ts";
import { readFlowFile } from "./flow-file.ts";
import { readHoursFile } from "./hours-file.ts";

/**
 * The Connect resources beside the flow: the flows TransferToFlow runs (`--flow`), the modules InvokeFlowModule
 * runs (`--module`), hours of operation (`--hours`) and full queues (`--queue-full`), read into the emulator's
 * `flows`, `flowModules`, `hoursOfOperation` and `queues`. Keys are matched as the emulator matches them: by
 * id, whether written as id or as ARN.
 */

/** Two files given for the same flow, module or hours: the user's setup, exit code 2. */
export class ResourceMappingError extends Error {}

/** A flow the call may run, and how messages name it (none for the main flow). */
export interface LabelledFlow {
  readonly flow: FlowDocument;
  readonly label?: string;
}

export type ResourceOption = "flow" | "module" | "hours";

/** Whether two ids or ARNs name the same resource. */
export const sameResource = (a: string, b: string): boolean => resourceKey(a) === resourceKey(b);

/** The mappings with their resolved paths; throws when one resource is given two different files. */
function resolvedMappings(option: ResourceOption, mappings: readonly ResourceMapping[], baseDir: string) {
  const byKey = new Map<string, { key: string; path: string; given: string }>();
  for (const mapping of mappings) {
    const path = isAbsolute(mapping.path) ? mapping.path : resolve(baseDir, mapping.path);
    const id = resourceKey(mapping.key);
    const earlier = byKey.get(id);
    if (earlier !== undefined && earlier.path !== path) {
      throw new ResourceMappingError(
        `--${option} ${mapping.key} is given twice: ${earlier.given} and ${mapping.path}`,
      );
    }
    byKey.set(id, { key: mapping.key, path, given: mapping.path });
  }
  return [...byKey.values()];
}

/** `--flow` or `--module` files, keyed as given, and labelled for messages by the path the user typed. */
export async function readFlowResources(
  option: "flow" | "module",
  mappings: readonly ResourceMapping[],
  baseDir: string,
): Promise<{ documents: Record<string, FlowDocument>; labelled: LabelledFlow[] }> {
  const documents: Record<string, FlowDocument> = {};
  const labelled: LabelledFlow[] = [];
  for (const { key, path, given } of resolvedMappings(option, mappings, baseDir)) {
    const flow = await readFlowFile(path);
    documents[key] = flow;
    labelled.push({ flow, label: given });
  }
  return { documents, labelled };
}

/** `--hours` files, keyed as given. */
export async function readHoursResources(
  mappings: readonly ResourceMapping[],
  baseDir: string,
): Promise<Record<string, HoursOfOperation>> {
  const hours: Record<string, HoursOfOperation> = {};
  for (const { key, path } of resolvedMappings("hours", mappings, baseDir)) {
    hours[key] = await readHoursFile(path);
  }
  return hours;
}

type ResourceKind = ResourceOption | "queue";

/** The parameter naming each kind of resource, and the actions that read it there. */
const PARAMETERS: Readonly<Record<ResourceKind, { parameter: string; types: readonly string[] }>> = {
  flow: { parameter: "ContactFlowId", types: ["TransferToFlow"] },
  module: { parameter: "FlowModuleId", types: ["InvokeFlowModule"] },
  hours: { parameter: "HoursOfOperationId", types: ["CheckHoursOfOperation"] },
  queue: { parameter: "QueueId", types: ["UpdateContactTargetQueue", "DequeueContactAndTransferToQueue"] },
};

/** What the flows name: flows, modules, hours and queues, as they write them. */
export interface ResourceReferences {
  /** Static ids or ARNs, by kind. */
  readonly named: Readonly<Record<ResourceKind, readonly string[]>>;
  /** The kinds some action computes with JSONPath, known only during the call. */
  readonly computed: ReadonlySet<ResourceKind>;
  /** Queue names from the console's metadata (`queue.text`, or the QueueId's `displayName`), to the queue. */
  readonly queueNames: ReadonlyMap<string, readonly string[]>;
  /** CheckHoursOfOperation actions without `HoursOfOperationId`: they read the target queue's hours. */
  readonly queueHoursChecks: readonly string[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** The queue's name in the console's metadata for `identifier`, if it gives one. */
function queueName(flow: FlowDocument, identifier: string): string | undefined {
  const actions = isObject(flow.Metadata) ? flow.Metadata.ActionMetadata : undefined;
  const metadata = isObject(actions) ? actions[identifier] : undefined;
  if (!isObject(metadata)) return undefined;
  const queue = metadata.queue;
  if (isObject(queue) && typeof queue.text === "string") return queue.text;
  const parameter = isObject(metadata.parameters) ? metadata.parameters.QueueId : undefined;
  return isObject(parameter) && typeof parameter.displayName === "string" ? parameter.displayName : undefined;
}

export function resourceReferences(flows: readonly LabelledFlow[]): ResourceReferences {
  const named: Record<ResourceKind, string[]> = { flow: [], module: [], hours: [], queue: [] };
  const computed = new Set<ResourceKind>();
  const queueNames = new Map<string, string[]>();
  const queueHoursChecks: string[] = [];
  for (const { flow, label } of flows) {
    for (const action of flow.Actions) {
      for (const [kind, { parameter, types }] of Object.entries(PARAMETERS) as [
        ResourceKind,
        (typeof PARAMETERS)[ResourceKind],
      ][]) {
        if (!types.includes(action.Type)) continue;
        const value = action.Parameters?.[parameter];
        if (typeof value !== "string" || value === "") {
          if (kind === "hours") {
            queueHoursChecks.push(label === undefined ? action.Identifier : `${label}: ${action.Identifier}`);
          }
          continue;
        }
        if (value.startsWith("$.")) {
          computed.add(kind);
          continue;
        }
        if (!named[kind].includes(value)) named[kind].push(value);
        const name = kind === "queue" ? queueName(flow, action.Identifier) : undefined;
        if (name !== undefined) {
          const queues = queueNames.get(name) ?? [];
          if (!queues.includes(value)) queueNames.set(name, [...queues, value]);
        }
      }
    }
  }
  return { named, computed, queueNames, queueHoursChecks };
}

const WHAT: Readonly<Record<ResourceOption, string>> = {
  flow: "flow the flows transfer to (TransferToFlow)",
  module: "module the flows invoke (InvokeFlowModule)",
  hours: "hours the flows check (CheckHoursOfOperation)",
};

/** Warnings for `--flow`, `--module` and `--hours` keys that no action names. */
export function unmatchedResources(
  given: Readonly<Record<ResourceOption, readonly ResourceMapping[]>>,
  references: ResourceReferences,
): string[] {
  return (Object.keys(WHAT) as ResourceOption[]).flatMap((option) =>
    references.computed.has(option)
      ? []
      : given[option]
          .filter((mapping) => !references.named[option].some((name) => sameResource(name, mapping.key)))
          .map((mapping) => `--${option} ${mapping.key} matches no ${WHAT[option]}`),
  );
}

/**
 * The emulator's `queues` for `--queue-full`: each queue at capacity, named by ARN or id (as the flows write
 * it, or not), or by the name the console's metadata gives it. `warn` gets keys that match no queue.
 */
export function fullQueueSetup(
  keys: readonly string[],
  references: ResourceReferences,
  warn: (message: string) => void,
): Record<string, QueueSetup> {
  const queues: Record<string, QueueSetup> = {};
  for (const key of keys) {
    const byId = references.named.queue.filter((queue) => sameResource(queue, key));
    const byName = references.queueNames.get(key) ?? [];
    const matching = byId.length > 0 ? byId : byName;
    if (matching.length === 0 && !references.computed.has("queue")) {
      warn(`--queue-full ${key} matches no queue the flows name (by ARN, id or the name in their metadata)`);
    }
    for (const queue of matching.length > 0 ? matching : [key]) queues[queue] = { atCapacity: true };
  }
  return queues;
}
