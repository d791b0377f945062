/**
 * Runs the real kubectl against an emulator's kubeconfig, for the tests that check kubectl is
 * happy with what the emulator answers. Tests skip themselves when kubectl is not on PATH.
 */
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export const kubectlFound = spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0;

export interface Kubectl {
  /** The arguments with the kubeconfig and a private discovery cache in front (for spawn). */
  args(args: string[]): string[];
  run(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** Runs a command that must fail; answers its stderr. */
  failure(...args: string[]): Promise<string>;
}

export function kubectlFor(kubeconfigPath: string, cacheDir: string): Kubectl {
  const args = (rest: string[]) => ["--kubeconfig", kubeconfigPath, "--cache-dir", cacheDir, ...rest];
  return {
    args,
    run: (...rest) => run("kubectl", args(rest), { timeout: 20_000 }),
    failure: async (...rest) => {
      try {
        await run("kubectl", args(rest), { timeout: 20_000 });
      } catch (error) {
        return String((error as { stderr?: string }).stderr ?? error);
      }
      throw new Error(`kubectl ${rest.join(" ")} was expected to fail`);
    },
  };
}
