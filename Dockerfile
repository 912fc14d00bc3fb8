# The app image: Node 20, the built client, and the server bundled to plain JavaScript.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
# jemalloc instead of glibc's malloc (docs/operations.md, "Memory"): glibc keeps freed memory of
# the database thread in its arenas, jemalloc gives it back (embedded, idle with the demo:
# 70-130 MiB less than glibc with MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072). Linked under one
# name whatever the architecture's library directory.
RUN apt-get update && apt-get install -y --no-install-recommends libjemalloc2 \
  && ln -s "$(dpkg -L libjemalloc2 | grep '/libjemalloc\.so\.2$')" /usr/local/lib/libjemalloc.so.2 \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY core/package.json core/
COPY server/package.json server/
COPY client/package.json client/
RUN npm ci --include=dev --no-audit --no-fund
COPY . .
# The client, and the server as one JavaScript module (server/dist/main.mjs, scripts/build-server.ts).
RUN npm run build
# Preloaded only for the server, after the build: background_thread returns freed pages while
# the server is idle, narenas:2 as the glibc setting it replaces.
ENV LD_PRELOAD=/usr/local/lib/libjemalloc.so.2 MALLOC_CONF=background_thread:true,narenas:2
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# node itself on the bundle: neither npm nor tsx stay resident beside the server, and docker's
# signals reach it. The V8 heap grows by at most a fifth between full collections, so the pages
# of a large layer are collected before they pile up (docs/operations.md, "Memory").
CMD ["node", "--heap-growing-percent=20", "server/dist/main.mjs"]
