import type { NextConfig } from "next";

const basePath = process.env.MESH_CONSOLE_BASE_PATH ?? "";

const nextConfig: NextConfig = {
  output: "standalone",
  // Lets parallel builds (and the browser tests that serve them) each use their own folder.
  distDir: process.env.MESH_CONSOLE_DIST_DIR ?? ".next",
  basePath,
  poweredByHeader: false,
  // `npm test` type-checks the whole project with tsc first; checking again here only slows the build.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  // client-node and prom-client are Node-only; keep them out of the server bundle so they load as-is.
  serverExternalPackages: ["@kubernetes/client-node", "prom-client"],
  env: { NEXT_PUBLIC_BASE_PATH: basePath },
};

export default nextConfig;
