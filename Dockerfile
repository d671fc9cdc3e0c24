# The perpkit reference bot. Build from the repository root: `docker build -t perpkit/reference-bot .`
# (deploy/docker-compose.yml does this). Runs as the unprivileged `node` user; state (lock, heartbeat, journal)
# lives in the /var/lib/perpkit volume; the HEALTHCHECK fails when the heartbeat file is older than 30 s.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json turbo.json tsconfig.base.json tsup.shared.ts ./
COPY packages ./packages
COPY apps ./apps
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund \
 && npx turbo run build --filter=@perpkit/reference-bot... \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PERPKIT_STATE_DIR=/var/lib/perpkit \
    PERPKIT_HEARTBEAT_FILE=/var/lib/perpkit/heartbeat.json
WORKDIR /app
COPY --from=build /src /app
RUN mkdir -p /var/lib/perpkit && chown node:node /var/lib/perpkit
USER node
VOLUME ["/var/lib/perpkit"]
EXPOSE 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const { checkHeartbeat } = require('@perpkit/ops'); const v = checkHeartbeat({ path: process.env.PERPKIT_HEARTBEAT_FILE, nowMs: Date.now(), maxAgeMs: 30000 }); if (!v.ok) console.error('heartbeat ' + v.reason); process.exit(v.ok ? 0 : 1)"]
ENTRYPOINT ["node", "apps/reference-bot/dist/cli.js"]
CMD ["live"]
