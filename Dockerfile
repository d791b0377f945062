# mesh-console container image: Next.js standalone output on a slim Node.js base, run as non-root.
# Build: docker build -t mesh-console .

# The Node.js the image runs, and the tests too (.node-version holds the same; scripts/ensure-node.sh).
ARG NODE_VERSION=24.22.3

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npx next build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
WORKDIR /app
# The heap cap makes V8 collect before the heap grows far past what is live (a 1,000-workload mesh
# peaks near 130 MB live); fewer malloc arenas keep the threads' native memory from fragmenting.
# Both keep the console's RSS near 260 MiB at that scale, well inside the manifest's 512Mi limit.
# Raise --max-old-space-size for larger meshes.
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-old-space-size=256 \
    MALLOC_ARENA_MAX=2 \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=20001 \
    MESH_CONSOLE_ADDRESS=0.0.0.0 \
    MESH_CONSOLE_PORT=20001
RUN groupadd --system --gid 10001 console \
 && useradd --system --uid 10001 --gid console --no-create-home --shell /usr/sbin/nologin console
# The standalone output carries only the production dependencies the server actually loads.
COPY --from=build --chown=10001:10001 /app/.next/standalone ./
COPY --from=build --chown=10001:10001 /app/.next/static ./.next/static
COPY --from=build --chown=10001:10001 /app/public ./public
USER 10001:10001
EXPOSE 20001
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:20001/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server.js"]
