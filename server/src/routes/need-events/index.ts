import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Id } from '@ilk/core';
import { NeedEvent, NeedEventInput, NeedHistory, type NeedEventInput as NeedEventInputT } from '@ilk/core/schemas/need-events';
import { EDITORS, EVERYONE } from '../../plugins/auth.ts';
import { recordEtag } from '../../services/etag.ts';
import { addEvent, needHistory } from '../../services/need-events.service.ts';

const IdParams = Type.Object({ id: Id });

// The coordinators' inbox on a need: triage and close (status changes), assign, comment. The
// history is read by staff and by the partner who reported the need (checked in the service).
export default async function needEventRoutes(app: FastifyInstance) {
  app.get('/:id/events', {
    config: { roles: EVERYONE },
    schema: { tags: ['needs'], summary: 'The history of a need: status changes, assignments and comments, oldest first', params: IdParams, response: { 200: NeedHistory } },
  }, async (request) => needHistory(app.db, request.user!, (request.params as { id: number }).id));

  app.post('/:id/events', {
    config: { roles: EDITORS },
    schema: {
      tags: ['needs'], params: IdParams, body: NeedEventInput, response: { 201: NeedEvent },
      summary: 'Comment on, assign or change the status of a need (If-Match with the need\'s ETag for assignments and status changes)',
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const { event, version } = await addEvent(app.db, request.user!, request, id, request.body as NeedEventInputT);
    return reply.code(201).header('etag', recordEtag('need', id, version)).send(event);
  });
}
