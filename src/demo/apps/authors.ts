import {latencyMs, Random} from '../random.js';
import {json, sleep, type AppHandler} from './server.js';
import {seedAuthors} from './store.js';

/** The authors service: reads only; a missing author is a 404. */
export function authorsApp(seed: number, rng: Random): AppHandler {
  const authors = seedAuthors(seed);
  return async (req) => {
    const [collection, id] = req.segments;
    if (collection !== 'authors' || req.segments.length > 2) return json(404, {error: 'not found'});
    if (id === undefined) {
      if (req.method !== 'GET') return json(405, {error: 'method not allowed'});
      await sleep(latencyMs(rng, 4));
      return json(200, [...authors.values()]);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, {error: 'method not allowed'});
    await sleep(latencyMs(rng, req.method === 'HEAD' ? 1.5 : 2.5));
    const author = authors.get(Number(id));
    return author ? json(200, author) : json(404, {error: `no author ${id}`});
  };
}
