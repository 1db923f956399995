/**
 * Memory of each Lambda function, in MB. Lambda gives a function CPU in proportion to its memory, so memory
 * is part of the time budget: a Connect-facing function's cold start (loading a ~0.9 MB bundle) must fit
 * inside its 8 s block with room to spare, and at 128 MB a function gets a small fraction of a vCPU.
 */
export interface FunctionMemory {
  readonly connectStart: number;
  readonly connectStatus: number;
  readonly connectAnswer: number;
  /**
   * connect-answer where answer-worker writes the answer (native-async with progressive answers): it only
   * waits for parts and maps them. connect-start registers the turn and dispatches the worker first, so this
   * function's cold start runs beside the worker's and the model's time to a first part, not before them.
   */
  readonly connectAnswerProgressive: number;
  readonly worker: number;
  readonly failureRecorder: number;
  readonly lexTranscript: number;
  readonly connectTextOffer: number;
  readonly callerLeft: number;
  readonly textDelivery: number;
}

export const functionMemoryMb: FunctionMemory = {
  connectStart: 512,
  connectStatus: 512,
  // Runs the model in place (native-async without progressive answers): on the caller's path.
  connectAnswer: 512,
  // Waits for parts the worker writes and maps them; billed for the wait, so sized for it: a cold start is
  // slower here (a small fraction of a vCPU) but overlaps the model's time to its first part (ADR 0003). The
  // bundle loads in about 64 MB of RSS (`node` on this machine), so 128 MB has room.
  connectAnswerProgressive: 128,
  // Waits on Bedrock; memory buys a faster cold start, not a faster answer.
  worker: 512,
  // Small SQS batches of small records, off the caller's path.
  failureRecorder: 256,
  // On the caller's path between speech and the next prompt: a cold start must be short.
  lexTranscript: 512,
  // On the caller's path: the caller pressed the key and hears nothing until it answers.
  connectTextOffer: 512,
  // One small event per ended contact, off the caller's path.
  callerLeft: 256,
  // Small stream batches; waits on DynamoDB and the SMS API, off the caller's path.
  textDelivery: 256,
};

/** Lambda's limits: 128 MB to 10,240 MB, in 1 MB steps. */
export const LAMBDA_MEMORY_LIMITS_MB = { min: 128, max: 10_240 } as const;
