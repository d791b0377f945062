/**
 * Child processes of the demo: started in their own process group so that stopping the demo stops
 * everything they started too, with their output prefixed by their role.
 */
import { spawn, type ChildProcess } from "node:child_process";

export interface ManagedProcess {
  role: string;
  child: ChildProcess;
  /** Resolves when the process has exited (after stop() or on its own). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface StartOptions {
  role: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where output goes; defaults to this process's stderr with a prefix. Quiet children keep only the last lines for error messages. */
  log?: "inherit" | "quiet";
}

const liveProcesses = new Set<ManagedProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

// A demo that exits for any reason must not leave Prometheus or a console behind.
process.once("exit", () => {
  for (const managed of liveProcesses) killGroup(managed.child, "SIGKILL");
});

export function startProcess(options: StartOptions): ManagedProcess & { recentOutput(): string } {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const recent: string[] = [];
  const remember = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    for (const line of text.split("\n").filter(Boolean)) {
      recent.push(line);
      if (recent.length > 40) recent.shift();
      if (options.log !== "quiet") process.stderr.write(`[${options.role}] ${line}\n`);
    }
  };
  child.stdout?.on("data", remember);
  child.stderr?.on("data", remember);

  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", (error) => {
      recent.push(`failed to start ${options.command}: ${error.message}`);
      resolve(null);
    });
  });

  const managed = {
    role: options.role,
    child,
    exited,
    recentOutput: () => recent.join("\n"),
    async stop() {
      killGroup(child, "SIGTERM");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
      liveProcesses.delete(managed);
    },
  };
  liveProcesses.add(managed);
  void exited.then(() => liveProcesses.delete(managed));
  return managed;
}

/**
 * Polls `url` until it answers `expectStatus`, failing early with the child's last output when
 * the child exits first, and after `timeoutMs` otherwise.
 */
export async function waitForHttp(url: string, managed: ManagedProcess & { recentOutput(): string }, timeoutMs: number, expectStatus = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedCode: number | null | undefined;
  void managed.exited.then((code) => {
    exitedCode = code;
  });
  let lastProblem = "no answer yet";
  while (Date.now() < deadline) {
    if (exitedCode !== undefined) {
      throw new Error(`The ${managed.role} exited (code ${exitedCode}) before it answered at ${url}. Its last output:\n${managed.recentOutput()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === expectStatus) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The ${managed.role} did not answer at ${url} within ${timeoutMs / 1000} s (${lastProblem}). Its last output:\n${managed.recentOutput()}`);
}
