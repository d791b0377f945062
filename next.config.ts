import type { NextConfig } from "next";
import { MAX_REQUEST_BYTES } from "./server/http/requestBody";

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
  experimental: {
    // Because proxy.ts runs before every request, Next.js copies each request body into memory
    // first, so the proxy and then the route can both read it (10 MB by default, the rest silently
    // dropped: node_modules/next/dist/server/body-streams.js). The request gate
    // (server/http/bodyGate.ts) already ends every body one byte past the console's limit, so this
    // copy never holds more; the bound here only makes sure Next.js keeps that one byte too.
    proxyClientMaxBodySize: MAX_REQUEST_BYTES + 1,
  },
};

export default nextConfig;
