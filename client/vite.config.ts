import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// `npm run dev` serves the client with hot reload and proxies the API to the Fastify server.
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [svelte()],
  build: { outDir: process.env.CLIENT_DIST ?? 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    port: 5173,
    proxy: { '/api': api, '/ogc': api, '/tiles': api, '/docs': api },
  },
});
