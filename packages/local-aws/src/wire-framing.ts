/**
 * Just enough framing to find message boundaries in a byte stream, for the fault proxy: HTTP/1.1 messages
 * (Content-Length, chunked, or a response that runs until the connection closes) and HTTP/2 frames. Nothing
 * here decodes more than it needs; bodies and HPACK-compressed headers are left as bytes.
 */

const CRLF = Buffer.from("\r\n");
const HEAD_END = Buffer.from("\r\n\r\n");

/** The client's first 24 bytes on an HTTP/2 connection with prior knowledge (h2c, as the SDK opens it). */
export const H2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

export interface Http1Head {
  /** `POST / HTTP/1.1` or `HTTP/1.1 200 OK`. */
  readonly startLine: string;
  /** Lower-cased names; a repeated header keeps its last value. */
  readonly headers: ReadonlyMap<string, string>;
}

export type Http1Message =
  /** The whole message is the first `length` bytes. */
  | {
      readonly kind: "complete";
      readonly head: Http1Head;
      readonly length: number;
      readonly bodyStart: number;
    }
  /** A response with neither length nor chunking: its body is everything until the server closes. */
  | { readonly kind: "until-close"; readonly head: Http1Head; readonly bodyStart: number };

/**
 * The HTTP/1.1 message at the start of `buffer`, or undefined while it is incomplete. `requestMethod` (for a
 * response) says whether a body may follow at all (HEAD's response has none).
 */
export function http1Message(
  buffer: Buffer,
  side: "request" | "response",
  requestMethod?: string,
): Http1Message | undefined {
  const headEnd = buffer.indexOf(HEAD_END);
  if (headEnd < 0) return undefined;
  const head = parseHead(buffer.subarray(0, headEnd).toString("latin1"));
  const bodyStart = headEnd + HEAD_END.length;
  if (side === "response") {
    const status = statusOf(head);
    if ((status >= 100 && status < 200) || status === 204 || status === 304 || requestMethod === "HEAD") {
      return { kind: "complete", head, length: bodyStart, bodyStart };
    }
  }
  if (/\bchunked\b/i.test(head.headers.get("transfer-encoding") ?? "")) {
    const end = chunkedEnd(buffer, bodyStart);
    return end === undefined ? undefined : { kind: "complete", head, length: end, bodyStart };
  }
  const declared = head.headers.get("content-length");
  if (declared !== undefined) {
    const length = bodyStart + Number.parseInt(declared, 10);
    return buffer.length < length ? undefined : { kind: "complete", head, length, bodyStart };
  }
  return side === "request"
    ? { kind: "complete", head, length: bodyStart, bodyStart }
    : { kind: "until-close", head, bodyStart };
}

/** The status code of a response head, 0 if the start line is not a status line. */
export function statusOf(head: Http1Head): number {
  const match = /^HTTP\/\d\.\d (\d{3})/.exec(head.startLine);
  return match === null ? 0 : Number(match[1]);
}

function parseHead(text: string): Http1Head {
  const [startLine = "", ...lines] = text.split("\r\n");
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { startLine, headers };
}

/** Where a chunked body that starts at `offset` ends (after its trailers), or undefined while incomplete. */
function chunkedEnd(buffer: Buffer, offset: number): number | undefined {
  let position = offset;
  for (;;) {
    const lineEnd = buffer.indexOf(CRLF, position);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(
      buffer.subarray(position, lineEnd).toString("latin1").split(";")[0] ?? "",
      16,
    );
    if (!Number.isFinite(size)) throw new Error("malformed chunked body");
    position = lineEnd + CRLF.length;
    if (size === 0) {
      // Trailers, if any, then an empty line.
      for (;;) {
        const trailerEnd = buffer.indexOf(CRLF, position);
        if (trailerEnd < 0) return undefined;
        const empty = trailerEnd === position;
        position = trailerEnd + CRLF.length;
        if (empty) return position;
      }
    }
    position += size + CRLF.length;
    if (buffer.length < position) return undefined;
  }
}

export const H2_FRAME_HEADER_BYTES = 9;
export const H2_DATA = 0x0;
export const H2_HEADERS = 0x1;
export const H2_RST_STREAM = 0x3;
export const H2_END_STREAM = 0x1;

export interface H2Frame {
  /** Frame header included. */
  readonly length: number;
  readonly type: number;
  readonly flags: number;
  readonly streamId: number;
}

/** The HTTP/2 frame at the start of `buffer`, or undefined while it is incomplete. */
export function h2Frame(buffer: Buffer): H2Frame | undefined {
  if (buffer.length < H2_FRAME_HEADER_BYTES) return undefined;
  const payload = buffer.readUIntBE(0, 3);
  const length = H2_FRAME_HEADER_BYTES + payload;
  if (buffer.length < length) return undefined;
  return {
    length,
    type: buffer.readUInt8(3),
    flags: buffer.readUInt8(4),
    streamId: buffer.readUInt32BE(5) & 0x7fffffff,
  };
}

/** Whether this frame ends its stream's response (END_STREAM on HEADERS or DATA, or RST_STREAM). */
export const endsStream = (frame: H2Frame): boolean =>
  frame.type === H2_RST_STREAM ||
  ((frame.type === H2_HEADERS || frame.type === H2_DATA) && (frame.flags & H2_END_STREAM) !== 0);
