/**
 * The console's configuration, parsed once per process from the environment.
 */
import { parseConfig, type ConsoleConfig } from "./schema";

export { ConfigError, parseConfig } from "./schema";
export type { ConsoleConfig, PrometheusSettings, KubernetesSettings, AuthMode } from "./schema";

let cached: ConsoleConfig | undefined;

export function getConfig(): ConsoleConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
