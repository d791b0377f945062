/**
 * Next.js' standalone server (`output: "standalone"`), the one the container image runs, started
 * outside the image: by `mesh-console serve` and by the demo, the browser tests and the benchmarks
 * (demo/orchestrate/demo.ts). `next start` does not serve a standalone build as it will be served
 * (it warns so), and the standalone folder holds no static assets or public files: the Dockerfile
 * copies `<distDir>/static` to `<distDir>/standalone/<distDir>/static` and `public/` to
 * `<distDir>/standalone/public` (https://nextjs.org/docs/app/api-reference/config/next-config-js/output#automatically-copying-traced-files).
 * Here they are linked instead, which is instant and follows a rebuild.
 */
import { existsSync, symlinkSync, cpSync } from "node:fs";
import path from "node:path";

/** The build folder next.config.ts writes to. */
export function distDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MESH_CONSOLE_DIST_DIR ?? ".next";
}

export function standaloneServerPath(root: string, dist: string): string {
  return path.join(root, dist, "standalone", "server.js");
}

function linkOrCopy(target: string, link: string): void {
  if (existsSync(link) || !existsSync(target)) return;
  try {
    symlinkSync(target, link, "dir");
  } catch {
    // Where links cannot be made (some Windows setups), a copy serves the same.
    cpSync(target, link, { recursive: true });
  }
}

/**
 * The standalone server of the build under `root`, with its static assets and public files in
 * place; undefined when there is no standalone build there.
 */
export function prepareStandaloneServer(root: string, dist: string = distDir()): string | undefined {
  const server = standaloneServerPath(root, dist);
  if (!existsSync(server)) return undefined;
  const standalone = path.dirname(server);
  linkOrCopy(path.join(root, dist, "static"), path.join(standalone, dist, "static"));
  linkOrCopy(path.join(root, "public"), path.join(standalone, "public"));
  return server;
}

/**
 * The environment the standalone server reads its address from: HOSTNAME and PORT (Next.js), and
 * MESH_CONSOLE_ADDRESS/PORT (the console's settings), which must agree or it refuses to start
 * (server/config/schema.ts readListenAddress).
 */
export function standaloneListenEnv(address: string, port: number): Record<string, string> {
  return { HOSTNAME: address, PORT: String(port), MESH_CONSOLE_ADDRESS: address, MESH_CONSOLE_PORT: String(port), NODE_ENV: "production" };
}
