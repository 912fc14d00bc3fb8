# The app image: Node 20, the built client, and the server run from TypeScript by tsx.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
# glibc malloc: two arenas, and blocks from 128 KiB on mapped on their own, so that freed ones go
# back to the system (docs/operations.md, "Memory"; the embedded database idles 100-170 MiB lower).
ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
COPY package.json package-lock.json ./
COPY core/package.json core/
COPY server/package.json server/
COPY client/package.json client/
RUN npm ci --include=dev --no-audit --no-fund
COPY . .
RUN npm run build
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# node itself, not `npx tsx`: npx and the tsx command stay resident as two more processes (about
# 120 MiB) and stand between the server and the signals docker sends.
CMD ["node", "--import", "tsx", "server/src/main.ts"]
