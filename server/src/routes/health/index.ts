import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import * as meta from '../../repositories/meta.repository.ts';

const HealthResponse = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Union([Type.Literal('embedded'), Type.Literal('postgres')]),
  postgis: Type.String(),
  migrations: Type.Array(Type.String()),
});

export default async function healthRoutes(app: FastifyInstance) {
  app.get('/', { config: { public: true }, schema: { tags: ['system'], summary: 'Liveness and database status', response: { 200: HealthResponse } } }, async (_req, reply) => {
    const info = await meta.health(app.db);
    reply.header('cache-control', 'no-store');
    return { status: 'ok' as const, database: app.db.kind, ...info };
  });
}
