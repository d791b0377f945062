import { readFile } from "node:fs/promises";
import { countBySeverity, formatFinding } from "@/lib/validation/finding";
import { loadClusterConfig, readClusterObjects } from "./cluster-input";
import { validate } from "./engine";
import { parseMeshConfigText, type MeshConfig } from "./mesh-config";
import { snapshotFromObjects } from "./snapshot";
import { loadYamlPaths } from "./yaml-input";

/**
 * `validate -f <file or folder>… [-o text|json] [--mesh-config <file>] [--no-default-gateway]`:
 * offline validation of YAML manifests; `validate --cluster [--kubeconfig <file>] [--context <name>]`:
 * the objects of a cluster, as the console's live validation reads them (the Gateway API kinds
 * included, and absent without error when the cluster has no Gateway API CRDs). Exit status: 2 when
 * input cannot be read (or the command line is wrong), 1 when an error-level finding is reported, 0
 * otherwise.
 */

export interface CommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

const usage = `Usage: validate -f <file or folder>... [-o text|json] [--mesh-config <file>] [--no-default-gateway]
       validate --cluster [--kubeconfig <file>] [--context <name>] [-o text|json]

  -f, --filename        YAML or JSON manifests; folders are read recursively (.yaml, .yml, .json)
      --cluster         read the objects from the cluster of the kubeconfig instead of files
      --kubeconfig      kubeconfig file for --cluster (default: KUBECONFIG or ~/.kube/config)
      --context         kubeconfig context for --cluster (default: its current context)
  -o, --output          text (default) or json
      --mesh-config     Istio MeshConfig YAML (rootNamespace, exportTo defaults, proxyMetadata)
      --no-default-gateway
                        do not assume the default istio-ingressgateway Pod and Service exist
                        (assumed by default, as istioctl analyze does for files)
`;

interface ValidateArgs {
  readonly paths: string[];
  readonly cluster?: { readonly kubeconfigPath?: string; readonly context?: string };
  readonly output: "text" | "json";
  readonly meshConfigPath?: string;
  readonly assumeDefaultIngressGateway: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): ValidateArgs | "help" {
  const args = argv[0] === "validate" ? argv.slice(1) : [...argv];
  const paths: string[] = [];
  let output: "text" | "json" = "text";
  let meshConfigPath: string | undefined;
  let assumeDefaultIngressGateway = true;
  let cluster = false;
  let kubeconfigPath: string | undefined;
  let context: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (name: string): string => {
      const next = inline ?? args[++i];
      if (next === undefined || (inline === undefined && next.startsWith("-") && next !== "-")) throw new UsageError(`${name} needs a value`);
      return next;
    };
    switch (flag) {
      case "-h":
      case "--help":
        return "help";
      case "-f":
      case "--filename":
        paths.push(value(flag));
        // `-f a.yaml b.yaml` reads every path up to the next flag.
        while (inline === undefined && i + 1 < args.length && !(args[i + 1] as string).startsWith("-")) paths.push(args[++i] as string);
        break;
      case "-o":
      case "--output": {
        const format = value(flag);
        if (format !== "text" && format !== "json") throw new UsageError(`${flag} must be "text" or "json", got "${format}"`);
        output = format;
        break;
      }
      case "--mesh-config":
        meshConfigPath = value(flag);
        break;
      case "--no-default-gateway":
        assumeDefaultIngressGateway = false;
        break;
      case "--cluster":
        cluster = true;
        break;
      case "--kubeconfig":
        kubeconfigPath = value(flag);
        break;
      case "--context":
        context = value(flag);
        break;
      default:
        throw new UsageError(`unknown argument "${arg}"`);
    }
  }
  if ((kubeconfigPath !== undefined || context !== undefined) && !cluster) throw new UsageError("--kubeconfig and --context go with --cluster");
  if (cluster) {
    if (paths.length > 0) throw new UsageError("give either files (-f) or --cluster, not both");
    // A live cluster has its own gateways; nothing is assumed.
    return { paths, output, meshConfigPath, assumeDefaultIngressGateway: false, cluster: { kubeconfigPath, context } };
  }
  if (paths.length === 0) throw new UsageError("no input: give at least one file or folder with -f, or --cluster");
  return { paths, output, meshConfigPath, assumeDefaultIngressGateway };
}

export async function runValidateCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  let args: ValidateArgs | "help";
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`validate: ${error.message}\n\n${usage}`);
    return 2;
  }
  if (args === "help") {
    io.stdout.write(usage);
    return 0;
  }
  let meshConfig: MeshConfig | undefined;
  if (args.meshConfigPath) {
    try {
      meshConfig = parseMeshConfigText(await readFile(args.meshConfigPath, "utf8"), args.meshConfigPath);
    } catch (error) {
      io.stderr.write(`validate: cannot read mesh config: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
  }
  let objects: unknown[];
  let source: string;
  if (args.cluster) {
    try {
      const input = await readClusterObjects(loadClusterConfig(args.cluster.kubeconfigPath, args.cluster.context));
      objects = input.objects;
      source = `the cluster at ${input.server}`;
      for (const note of input.notes) io.stderr.write(`validate: ${note}\n`);
    } catch (error) {
      io.stderr.write(`validate: cannot read the cluster: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
  } else {
    const loaded = await loadYamlPaths(args.paths);
    if (loaded.errors.length > 0) {
      for (const message of loaded.errors) io.stderr.write(`validate: ${message}\n`);
      return 2;
    }
    objects = loaded.objects;
    source = `${loaded.files.length} file(s)`;
  }
  const snapshot = snapshotFromObjects(objects, { meshConfig, assumeDefaultIngressGateway: args.assumeDefaultIngressGateway });
  const findings = validate(snapshot);
  const counts = countBySeverity(findings);
  if (args.output === "json") {
    io.stdout.write(`${JSON.stringify({ findings, counts }, null, 2)}\n`);
  } else if (findings.length === 0) {
    io.stdout.write(`No validation issues found in ${source}.\n`);
  } else {
    for (const finding of findings) io.stdout.write(`${formatFinding(finding)}\n`);
    io.stdout.write(`\n${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} info in ${source}.\n`);
  }
  return counts.error > 0 ? 1 : 0;
}
