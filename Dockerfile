# yeon as a container image. Not built in CI (no container runtime there): docs/deploy.md "Docker".
#   docker build -t yeon .
#   docker run --env-file yeon.env -p 8080:8080 yeon            # web instance
#   docker run --env-file yeon.env yeon worker                  # dispatcher only
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    YEON_ENV=production \
    YEON_HOST=0.0.0.0 \
    YEON_PORT=8080 \
    YEON_DATA_DIR=/var/lib/yeon

WORKDIR /opt/yeon

# Runtime packages only. esbuild (for the build below) and tsx (bin/yeon's fallback) are runtime
# dependencies; better-sqlite3, @node-rs/argon2 and sharp install prebuilt binaries for
# linux/glibc, so no compiler is needed.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY bin ./bin
COPY scripts ./scripts
COPY src ./src
COPY tsconfig.json ./
# The bundle bin/yeon runs (docs/decisions/0003-production-build.md): faster start, less memory.
RUN node scripts/build.mjs

# A system user with no shell and no home of its own; only the data folder is writable.
RUN groupadd --system yeon && useradd --system --gid yeon --no-create-home --shell /usr/sbin/nologin yeon \
    && install -d -m 0700 -o yeon -g yeon /var/lib/yeon
USER yeon

EXPOSE 8080
# Liveness only: /readyz (database and load) is for the load balancer, and a container restarted
# because PostgreSQL is away would not bring PostgreSQL back.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.YEON_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# node is PID 1 and handles SIGTERM itself (drain, then exit 0 within 10 s).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/opt/yeon/bin/yeon"]
CMD ["serve"]
