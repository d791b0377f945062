/**
 * The in-memory cluster: storage, the API server's write path, defaulting and the controllers
 * that make Deployments produce pods and Services produce endpoints, and CRDs serve their kinds.
 */
import { createCrdController, createCrdDefaulter } from "./crd";
import { createDefaulter } from "./defaults";
import { Registry } from "./registry";
import { ObjectStore } from "./store";
import { createWorkloadController } from "./workloads";

export function createCluster(options: { historyLimit?: number } = {}): Registry {
  const registry = new Registry(new ObjectStore(options.historyLimit ?? 1000));
  registry.addDefaulter(createDefaulter());
  registry.addDefaulter(createCrdDefaulter());
  registry.addController(createWorkloadController());
  registry.addController(createCrdController());
  return registry;
}
