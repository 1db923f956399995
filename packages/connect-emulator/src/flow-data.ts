/**
 * The data a flow reads with JSONPath (`$.External.status`, `$.Attributes.turn`, `$.Lex.SessionAttributes.x`,
 * `$.StoredCustomerInput`, `$.LambdaInvocation.InvocationId`, `$.ContactId`, …): one object per contact.
 */
export interface FlowData {
  ContactId: string;
  InitialContactId: string;
  Channel: "VOICE";
  InstanceARN: string;
  LanguageCode: string;
  CustomerEndpoint: { Address: string; Type: "TELEPHONE_NUMBER" };
  SystemEndpoint: { Address: string; Type: "TELEPHONE_NUMBER" };
  Attributes: Record<string, string>;
  /** Set by UpdateFlowAttributes; they last for the flow they were set in (TransferToFlow starts afresh). */
  FlowAttributes: Record<string, string>;
  /** The last synchronous invocation's (or loaded asynchronous invocation's) response; replaced, never merged. */
  External: unknown;
  Lex: { IntentName?: string; SessionAttributes: Record<string, string>; Slots: Record<string, string> };
  StoredCustomerInput?: string;
  LambdaInvocation: { InvocationId?: string };
  /** Media streaming, as `$.MediaStreams.Customer.Audio.*` and the Lambda event's `ContactData.MediaStreams`. */
  MediaStreams: { Customer: { Audio: null | CustomerAudioStream } };
  /** The contact's target queue, set by UpdateContactTargetQueue (`$.Queue.ARN`, `$.Queue.Name`). */
  Queue: null | { ARN: string; Name: string };
}

/**
 * The attributes AWS documents for the customer's audio stream (Admin Guide, "Contact attributes for live media
 * streaming"): epoch-millisecond strings, and no stop fragment number.
 */
export interface CustomerAudioStream {
  StreamARN: string;
  StartTimestamp: string;
  StartFragmentNumber: string;
  /** Once streaming stopped. */
  StopTimestamp?: string;
}

const PATH = /\$\.[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)*/gu;

export const isJsonPath = (value: string): boolean => /^\$\.[A-Za-z_]/u.test(value.trim());

/**
 * The value at a JSONPath. Arrays are not referenceable: "Referencing an array is not supported in a flow"
 * (Admin Guide, "Grant Amazon Connect access to your AWS Lambda functions"), so a path at or through one is
 * undefined, although `$.External` keeps the array for the record.
 */
export function resolvePath(data: FlowData, path: string): unknown {
  let current: unknown = data;
  for (const key of path.trim().slice(2).split(".")) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return Array.isArray(current) ? undefined : current;
}

const asText = (value: unknown): string =>
  value === undefined || value === null ? "" : typeof value === "string" ? value : JSON.stringify(value);

/** A parameter that is either static or a single JSONPath, as Connect allows for values. */
export const resolveValue = (data: FlowData, value: string): string =>
  isJsonPath(value) ? asText(resolvePath(data, value)) : value;

/** Prompt text with JSONPath references inside it replaced by their values. */
export const interpolate = (data: FlowData, text: string): string =>
  text.replace(PATH, (path) => asText(resolvePath(data, path)));

/** Values of a parameter map, each static or a JSONPath. */
export function resolveMap(data: FlowData, map: unknown): Record<string, string> {
  if (map === null || typeof map !== "object") return {};
  return Object.fromEntries(
    Object.entries(map as Record<string, unknown>).map(([key, value]) => [
      key,
      typeof value === "string" ? resolveValue(data, value) : asText(value),
    ]),
  );
}
