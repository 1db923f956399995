import { type ConnectStatus, EXTERNAL_STATUS } from "@holdline/connect-contract/flow-contract";
import type { Execution } from "@holdline/domain/execution/execution";

/** What a contact flow is told about an execution: its state in the seed's vocabulary. */

export interface ConnectView {
  readonly status: ConnectStatus;
  readonly turn: number;
  readonly answer?: string;
  readonly errorCode?: string;
}

/** What the flow is told about a registered execution that could not be read in time: still in progress. */
export const inProgressView = (turn: number): ConnectView => ({ status: EXTERNAL_STATUS.inProgress, turn });

export function toConnectView(execution: Execution): ConnectView {
  switch (execution.status) {
    case "queued":
    case "running":
      return { status: EXTERNAL_STATUS.inProgress, turn: execution.turn };
    case "completed":
      return { status: EXTERNAL_STATUS.completed, turn: execution.turn, answer: execution.answer ?? "" };
    case "failed":
      return {
        status: EXTERNAL_STATUS.error,
        turn: execution.turn,
        errorCode: execution.error?.code ?? "internal_error",
      };
  }
}
