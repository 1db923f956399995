/**
 * What one call costs in Lambda and DynamoDB at list prices. Bedrock tokens are left out on purpose: every
 * strategy makes the same one model call per turn, so they cancel out of the comparison.
 */
export type LambdaArchitecture = "arm64" | "x86_64";

export interface PriceList {
  readonly region: string;
  readonly lambdaRequestsPerMillion: number;
  readonly lambdaGbSecond: Readonly<Record<LambdaArchitecture, number>>;
  readonly dynamodbWriteUnitsPerMillion: number;
  readonly dynamodbReadUnitsPerMillion: number;
}

/** US East (N. Virginia) list prices, on-demand, first pricing tier, without the free tier. */
export const US_EAST_1_PRICES: PriceList = {
  region: "us-east-1",
  lambdaRequestsPerMillion: 0.2,
  lambdaGbSecond: { arm64: 0.000_013_333_4, x86_64: 0.000_016_666_7 },
  dynamodbWriteUnitsPerMillion: 0.625,
  dynamodbReadUnitsPerMillion: 0.125,
};

export interface PriceSource {
  readonly item: string;
  readonly price: string;
  readonly source: string;
}

export const PRICE_SOURCES: readonly PriceSource[] = [
  {
    item: "Lambda requests",
    price: "$0.20 per 1M requests",
    source: "https://aws.amazon.com/lambda/pricing/",
  },
  {
    item: "Lambda duration, Arm (Holdline's functions are `arm64`)",
    price: "$0.0000133334 per GB-second (first 7.5 billion GB-s a month)",
    source: "https://aws.amazon.com/lambda/pricing/",
  },
  {
    item: "Lambda duration, x86 (the seed's functions: the console default)",
    price: "$0.0000166667 per GB-second (first 6 billion GB-s a month)",
    source: "https://aws.amazon.com/lambda/pricing/",
  },
  {
    item: "DynamoDB on-demand write request unit",
    price: "$0.625 per 1M WRU (since the 50 % on-demand price cut of 1 November 2024)",
    source: "https://aws.amazon.com/dynamodb/pricing/on-demand/",
  },
  {
    item: "DynamoDB on-demand read request unit",
    price: "$0.125 per 1M RRU (a strongly consistent read of up to 4 KB is 1 RRU, eventually consistent ½)",
    source: "https://aws.amazon.com/dynamodb/pricing/on-demand/",
  },
];

/** One Lambda invocation as Lambda bills it. */
export interface BilledInvocation {
  readonly memoryMb: number;
  readonly architecture: LambdaArchitecture;
  /** How long the handler ran; Lambda bills it rounded up to the millisecond. */
  readonly durationMs: number;
}

export interface CallUsage {
  readonly invocations: readonly BilledInvocation[];
  readonly readUnits: number;
  readonly writeUnits: number;
}

export interface CostBreakdown {
  readonly lambdaRequests: number;
  readonly lambdaDuration: number;
  readonly dynamodb: number;
  readonly total: number;
}

export function callCost(usage: CallUsage, prices: PriceList = US_EAST_1_PRICES): CostBreakdown {
  const lambdaRequests = (usage.invocations.length * prices.lambdaRequestsPerMillion) / 1e6;
  const lambdaDuration = usage.invocations.reduce(
    (sum, invocation) =>
      sum +
      (invocation.memoryMb / 1024) *
        (Math.ceil(invocation.durationMs) / 1000) *
        prices.lambdaGbSecond[invocation.architecture],
    0,
  );
  const dynamodb =
    (usage.writeUnits * prices.dynamodbWriteUnitsPerMillion +
      usage.readUnits * prices.dynamodbReadUnitsPerMillion) /
    1e6;
  return { lambdaRequests, lambdaDuration, dynamodb, total: lambdaRequests + lambdaDuration + dynamodb };
}

/** The mean cost of these calls, times 1,000. */
export function costPerThousandCalls(
  usages: readonly CallUsage[],
  prices: PriceList = US_EAST_1_PRICES,
): CostBreakdown {
  const empty: CostBreakdown = { lambdaRequests: 0, lambdaDuration: 0, dynamodb: 0, total: 0 };
  if (usages.length === 0) return empty;
  const sum = usages
    .map((usage) => callCost(usage, prices))
    .reduce(
      (total, cost) => ({
        lambdaRequests: total.lambdaRequests + cost.lambdaRequests,
        lambdaDuration: total.lambdaDuration + cost.lambdaDuration,
        dynamodb: total.dynamodb + cost.dynamodb,
        total: total.total + cost.total,
      }),
      empty,
    );
  const scale = 1_000 / usages.length;
  return {
    lambdaRequests: sum.lambdaRequests * scale,
    lambdaDuration: sum.lambdaDuration * scale,
    dynamodb: sum.dynamodb * scale,
    total: sum.total * scale,
  };
}

/**
 * Amazon Connect's per-minute charges of an inbound call: voice service usage and the inbound telephony of a
 * direct-dial (DID) number. Lex, Polly and Bedrock are left out (the same requests under every strategy).
 */
export interface ConnectPriceList {
  readonly voiceUsagePerMinute: number;
  /** Voice usage is billed per second after a minimum. */
  readonly voiceMinimumSeconds: number;
  readonly inboundDidPerMinute: number;
  /** Telephony is billed per second after the first minute. */
  readonly telephonyMinimumSeconds: number;
}

/** us-east-1, a US DID number. */
export const CONNECT_US_EAST_1_PRICES: ConnectPriceList = {
  voiceUsagePerMinute: 0.018,
  voiceMinimumSeconds: 10,
  inboundDidPerMinute: 0.0022,
  telephonyMinimumSeconds: 60,
};

export const CONNECT_PRICE_SOURCES: readonly PriceSource[] = [
  {
    item: "Amazon Connect voice usage (inbound)",
    price:
      "$0.018 per minute of voice service usage, billed per second after the first 10 s (the long-standing list price; a third-party transcription of the page, not verified here, quotes $0.038 per voice minute with Connect's AI features included)",
    source:
      "https://aws.amazon.com/connect/pricing/ (as quoted, with the per-second rule, by https://blog.serverworks.co.jp/tech/2020/03/10/connect_per_second_billing/)",
  },
  {
    item: "Amazon Connect inbound telephony, US DID number",
    price:
      "$0.0022 per minute, billed per second after the first minute (**not verified here**: the estimate of docs/deploy.md; toll-free numbers cost more)",
    source: "https://aws.amazon.com/connect/pricing/",
  },
];

/** What Connect charges for one call of `durationMs`, voice usage and telephony. */
export function connectCallCost(
  durationMs: number,
  prices: ConnectPriceList = CONNECT_US_EAST_1_PRICES,
): number {
  const seconds = Math.ceil(Math.max(0, durationMs) / 1_000);
  const voice = (Math.max(prices.voiceMinimumSeconds, seconds) / 60) * prices.voiceUsagePerMinute;
  const telephony = (Math.max(prices.telephonyMinimumSeconds, seconds) / 60) * prices.inboundDidPerMinute;
  return voice + telephony;
}
