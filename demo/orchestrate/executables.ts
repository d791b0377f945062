/**
 * Finds the programs the demo runs, with an install hint when one is missing.
 */
import { access, constants } from "node:fs/promises";
import path from "node:path";

export class MissingExecutableError extends Error {
  constructor(readonly program: string, readonly installHint: string) {
    super(`${program} is not installed (not found on PATH); install it with: ${installHint}`);
    this.name = "MissingExecutableError";
  }
}

export async function findExecutable(name: string, program: string, installHint: string): Promise<string> {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  throw new MissingExecutableError(program, installHint);
}
