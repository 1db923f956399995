import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What Lambda reports when the process running an invocation dies (out of memory, a native crash, killed
 * at its timeout): the invocation fails with `Runtime.ExitError` and the process never runs another line.
 */
export class RuntimeExitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Runtime.ExitError";
  }
}

/** What Lambda reports when an invocation runs past the function's timeout; the process is stopped. */
export class TaskTimedOutError extends Error {
  constructor(timeoutMs: number) {
    super(`Task timed out after ${(timeoutMs / 1_000).toFixed(2)} seconds`);
    this.name = "Sandbox.Timedout";
  }
}

interface Environment {
  readonly dead: boolean;
  kill(error: Error): void;
}

const current = new AsyncLocalStorage<Environment>();

export interface KillableRun<T> {
  /** Settles with the work, or rejects with the kill's error as soon as the environment is killed. */
  readonly result: Promise<T>;
  kill(error: Error): void;
}

/**
 * Runs one invocation's handler in its own simulated execution environment. Killing the environment fails
 * the invocation at once; whatever the handler still does afterwards is ignored, as Lambda ignores a dead
 * process. Code inside the handler reaches its environment through `killCurrentEnvironment`.
 */
export function runInEnvironment<T>(work: () => Promise<T>): KillableRun<T> {
  let kill: (error: Error) => void = () => undefined;
  const result = new Promise<T>((resolve, reject) => {
    let dead = false;
    const environment: Environment = {
      get dead() {
        return dead;
      },
      kill: (error) => {
        if (dead) return;
        dead = true;
        reject(error);
      },
    };
    kill = environment.kill;
    current.run(environment, work).then(
      (value) => {
        if (!dead) resolve(value);
      },
      (error: unknown) => {
        if (!dead) reject(error);
      },
    );
  });
  return { result, kill: (error) => kill(error) };
}

/** Kills the environment the calling code runs in; false when it runs outside any (nothing to kill). */
export function killCurrentEnvironment(message: string): boolean {
  const environment = current.getStore();
  if (environment === undefined) return false;
  environment.kill(new RuntimeExitError(message));
  return true;
}

/**
 * Whether the calling code runs in an environment that was killed. A dead process does nothing more, but
 * the promises it left behind (a heartbeat's next beat) still run here: the ports check this to stay silent.
 */
export function currentEnvironmentIsDead(): boolean {
  return current.getStore()?.dead ?? false;
}
