// The floor under every HTTP request of the layers bench: a node:http server and a Fastify app
// without plugins, each answering `{}` from memory, in a process of their own like the app's.
// The Fastify app also answers /bytes/n with n bytes typed as a vector tile: what a tile's size
// alone costs over HTTP. Prints their URLs as one JSON line, then serves until killed.
import http from 'node:http';
import Fastify from 'fastify';

const node = http.createServer((_req, res) => {
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end('{}');
});
await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
const fastify = Fastify();
fastify.get('/', async () => ({}));
const bodies = new Map<number, Buffer>();
fastify.get('/bytes/:n', async (request, reply) => {
  const n = Number((request.params as { n: string }).n);
  const body = bodies.get(n) ?? Buffer.alloc(n, 0x1a);
  bodies.set(n, body);
  return reply.type('application/vnd.mapbox-vector-tile').send(body);
});
await fastify.listen({ port: 0, host: '127.0.0.1' });
const port = (s: http.Server) => (s.address() as { port: number }).port;
console.log(JSON.stringify({ node: `http://127.0.0.1:${port(node)}/`, fastify: `http://127.0.0.1:${port(fastify.server)}/` }));
