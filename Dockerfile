# syntax=docker/dockerfile:1
# Nexus production image: Next.js standalone output on Node 20, run as a non-root user.
#   docker build -t nexus .
#   docker run -p 3000:3000 -v nexus-data:/app/.nexus -v nexus-backups:/app/.db-backup nexus
# With PostgreSQL, see compose.yaml. The `build` stage doubles as a tools image for the
# admin CLI (restore, export): docker build --target build -t nexus-tools .

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN NEXT_OUTPUT=standalone npm run build

FROM node:20-bookworm-slim AS runtime
# pg_dump for scheduled backups of a PostgreSQL server (must be >= the server's major).
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 1001 nexus \
 && useradd --system --uid 1001 --gid nexus --home-dir /app --no-create-home nexus
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    NEXUS_DATA_DIR=/app/.nexus/data \
    NEXUS_BACKUP_DIR=/app/.db-backup
# server.js, its traced node_modules (PGlite's WASM included) and drizzle/ migrations
COPY --from=build --chown=nexus:nexus /app/.next/standalone ./
COPY --from=build --chown=nexus:nexus /app/.next/static ./.next/static
RUN mkdir -p /app/.nexus /app/.db-backup && chown nexus:nexus /app/.nexus /app/.db-backup
USER nexus
# embedded database (when no DB_HOST/DATABASE_URL is set) and backups
VOLUME ["/app/.nexus", "/app/.db-backup"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM: finish in-flight requests, answer long polls, close the database, exit 0.
# Give it time: docker run --stop-timeout 30 (compose: stop_grace_period).
STOPSIGNAL SIGTERM
CMD ["node", "server.js"]
