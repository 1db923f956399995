export {
  DynamoDbChangeCapture,
  type DynamoDbChangeCaptureOptions,
  type RefusedRequest,
} from "./change-capture.ts";
export { type StreamClock, systemStreamClock } from "./clock.ts";
export { compileFilterCriteria, type FilterCriteria } from "./filter-pattern.ts";
export {
  attributeValueSize,
  type DynamoDbImage,
  DynamoDbStream,
  type DynamoDbStreamOptions,
  type ItemChange,
  itemSizeBytes,
  type StreamEntry,
  type StreamEventName,
} from "./stream.ts";
export {
  type DynamoDbStreamHandler,
  DynamoDbStreamMapping,
  type DynamoDbStreamMappingOptions,
  type DynamoDbStreamOnFailureRecord,
  type OnFailureCondition,
  type OnFailureDestination,
  type StreamInvocation,
  type StreamInvocationOutcome,
} from "./stream-mapping.ts";
