#!/usr/bin/env node
// The `mesh-console` command: loads the TypeScript CLI through tsx.
import { register } from "tsx/esm/api";

register();
await import("../server/cli/main.ts");
