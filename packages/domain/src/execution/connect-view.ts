import type { Execution } from "./execution.ts";

/** The seed's vocabulary, which a contact flow's Compare block branches on. */
export type ConnectStatus = "in_progress" | "completed" | "error";

export interface ConnectView {
  readonly status: ConnectStatus;
  readonly turn: number;
  readonly answer?: string;
  readonly errorCode?: string;
}

export function toConnectView(execution: Execution): ConnectView {
  switch (execution.status) {
    case "queued":
    case "running":
      return { status: "in_progress", turn: execution.turn };
    case "completed":
      return { status: "completed", turn: execution.turn, answer: execution.answer ?? "" };
    case "failed":
      return { status: "error", turn: execution.turn, errorCode: execution.error?.code ?? "internal_error" };
  }
}
