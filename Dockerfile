# syntax=docker/dockerfile:1
#
# One image for the three apps; the command selects which one runs (working directory /app):
#   docker run IMAGE                                          -> broker-api    (PORT, default 8080)
#   docker run IMAGE node apps/broker-worker/dist/main.js     -> broker-worker (WORKER_PORT, 9464)
#   docker run IMAGE node apps/csp-simulator/dist/main.js     -> csp-simulator (SIM_PORT, 8090)
# The HEALTHCHECK probes GET /healthz on HEALTHCHECK_PORT (else PORT, else 8080): set
# HEALTHCHECK_PORT=9464 for the worker. See docs/deploy.md.

ARG NODE_IMAGE=node:22-bookworm-slim

# Every package.json of the workspace plus the lock file, in their folders: `npm ci` layers are
# cached until a manifest changes, and new workspaces are picked up without editing this file.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -maxdepth 3 -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests/ \; \
 && cp package-lock.json /manifests/

# Build: all dependencies (dev included), `npm run build` (every project with `tsc -b`, the CLI
# bundle and the console SPA). Every apps/*/dist is copied, so the console's static files land in
# /app/apps/broker-console/dist, where broker-api looks for them by default (CONSOLE_DIST_DIR).
FROM ${NODE_IMAGE} AS build
ENV SCARF_ANALYTICS=false NX_DAEMON=false NX_NO_CLOUD=true
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && mkdir /dist-out \
 && for d in libs/*/dist apps/*/dist; do \
      if [ -d "$d" ]; then mkdir -p "/dist-out/$d" && cp -R "$d/." "/dist-out/$d/"; fi; \
    done \
 && find /dist-out \( -name '*.tsbuildinfo' -o -name '*.spec.*' -o -name '*.int-spec.*' \) -delete

# Runtime: production dependencies only (workspace packages are symlinked by npm and resolve to
# their dist folders), the compiled output, tini as PID 1, an unprivileged user.
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production SCARF_ANALYTICS=false
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /dist-out/ ./
# Code and dependencies stay root-owned and read-only to the process.
USER node
EXPOSE 8080 9464 8090
# tini forwards SIGTERM to node, which drains and exits; orchestrators send SIGTERM first.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const p=process.env.HEALTHCHECK_PORT||process.env.PORT||8080;fetch('http://127.0.0.1:'+p+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "apps/broker-api/dist/main.js"]
