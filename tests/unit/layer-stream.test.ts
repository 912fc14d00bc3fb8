import { describe, expect, it } from 'vitest';
import { layerPages, streamFeatureCollection, type LayerPage } from '../../server/src/services/layer-stream.ts';

/** A layer of `n` features with keys 1..n, paged by key, recording the order of events. */
function pagedLayer(n: number, events: string[], failAfter?: number) {
  return async (after: string | number | null, limit: number): Promise<LayerPage> => {
    const from = Number(after ?? 0);
    events.push(`fetch>${from}`);
    await new Promise((r) => setTimeout(r, 1));
    if (failAfter !== undefined && from >= failAfter) throw new Error('database went away');
    const features = [];
    for (let k = from + 1; k <= Math.min(n, from + limit); k++) features.push(`{"id":${k}}`);
    return { text: features.join(','), count: features.length, last: features.length ? from + features.length : null };
  };
}

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}

describe('layerPages', () => {
  it('requests the next page before the current one is consumed, one page ahead at most', async () => {
    const events: string[] = [];
    const fetchPage = pagedLayer(7, events);
    const seen: number[][] = [];
    for await (const page of layerPages(await fetchPage(null, 3), fetchPage, 3)) {
      const ids = (JSON.parse(`[${page.text}]`) as { id: number }[]).map((f) => f.id);
      events.push(`consume ${ids.join(',')}`);
      seen.push(ids);
    }
    expect(seen).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    // The read-ahead of page 2 is under way while page 1 is consumed; no read after the short page.
    expect(events).toEqual(['fetch>0', 'fetch>3', 'consume 1,2,3', 'fetch>6', 'consume 4,5,6', 'consume 7']);
  });

  it('stops after an exactly full last page with one empty read', async () => {
    const events: string[] = [];
    const fetchPage = pagedLayer(6, events);
    const pages: number[] = [];
    for await (const page of layerPages(await fetchPage(null, 3), fetchPage, 3)) pages.push(page.count);
    expect(pages).toEqual([3, 3, 0]);
  });

  it('drops a failing read-ahead when the consumer has stopped, without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const fetchPage = pagedLayer(100, [], 3);
      for await (const page of layerPages(await fetchPage(null, 3), fetchPage, 3)) {
        expect(page.count).toBe(3);
        break; // the client went away while page 2 was being read, and that read fails
      }
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('streamFeatureCollection', () => {
  it('joins all pages into one valid FeatureCollection', async () => {
    const body = JSON.parse(await text(await streamFeatureCollection(pagedLayer(5, []), { pageSize: 2, header: { numberMatched: 5 } })));
    expect(body).toEqual({ type: 'FeatureCollection', numberMatched: 5, features: [1, 2, 3, 4, 5].map((id) => ({ id })) });
  });

  it('fails the stream (a truncated body, never a silently short layer) when a later page fails', async () => {
    const stream = await streamFeatureCollection(pagedLayer(10, [], 2), { pageSize: 2 });
    await expect(text(stream)).rejects.toThrow('database went away');
  });

  it('rejects before any byte when the first page fails, so the error can still be problem+json', async () => {
    await expect(streamFeatureCollection(pagedLayer(10, [], 0), { pageSize: 2 })).rejects.toThrow('database went away');
  });
});
