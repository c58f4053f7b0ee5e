import {latencyMs, Random} from '../random.js';
import {AUTHORS} from '../topology.js';
import type {ServiceClient} from './client.js';
import type {BookFeed} from './feed.js';
import {json, propagated, sleep, type AppHandler, type AppRequest} from './server.js';
import {INITIAL_BOOKS, seedBooks, type Book} from './store.js';

const MAX_BOOKS = 80;

/**
 * The books service. It fails a share of all requests with a 500 (`--error-rate`), checks with
 * authors that an author exists before writing, and announces every change on its feed.
 */
export function booksApp(seed: number, rng: Random, errorRate: number, authors: ServiceClient, feed: BookFeed): AppHandler {
  const books = seedBooks(seed);
  let nextId = books.size + 1;

  // The shop sells out: keep the catalogue (and so every response listing it) from growing
  // without bound over a long run, by retiring the oldest added books.
  const retireOldest = () => {
    for (const id of books.keys()) {
      if (books.size <= MAX_BOOKS) return;
      if (id > INITIAL_BOOKS) {
        books.delete(id);
        feed.publish({event: 'deleted', id});
      }
    }
  };

  const authorExists = async (req: AppRequest, authorId: number) => {
    const result = await authors.call(AUTHORS, 'HEAD', `/authors/${authorId}`, {headers: propagated(req.headers)});
    return result.status;
  };

  const parse = (body: string): Partial<Book> | null => {
    try {
      const value = JSON.parse(body) as Partial<Book>;
      return typeof value === 'object' && value !== null ? value : null;
    } catch {
      return null;
    }
  };

  return async (req) => {
    const [collection, id, ...rest] = req.segments;
    if (collection !== 'books' || rest.length > 0) return json(404, {error: 'not found'});
    await sleep(latencyMs(rng, 3));
    if (rng.chance(errorRate)) return json(500, {error: 'books database unavailable'});

    if (id === undefined) {
      if (req.method === 'GET') {
        const author = req.query.get('author');
        const list = [...books.values()].filter((b) => author === null || b.authorId === Number(author));
        await sleep(latencyMs(rng, 5));
        return json(200, list);
      }
      if (req.method !== 'POST') return json(405, {error: 'method not allowed'});
      const input = parse(req.body);
      if (!input || typeof input.title !== 'string' || typeof input.authorId !== 'number') return json(400, {error: 'title and authorId required'});
      const check = await authorExists(req, input.authorId);
      if (check !== 200) return json(check === 404 ? 422 : 502, {error: `author ${input.authorId} not usable`});
      const book: Book = {id: nextId++, title: input.title, authorId: input.authorId, pages: input.pages ?? 100};
      books.set(book.id, book);
      feed.publish({event: 'created', id: book.id});
      retireOldest();
      return json(201, book, {location: `/books/${book.id}`});
    }

    const book = books.get(Number(id));
    if (req.method === 'GET') return book ? json(200, book) : json(404, {error: `no book ${id}`});
    if (req.method === 'DELETE') {
      if (!book) return json(404, {error: `no book ${id}`});
      books.delete(book.id);
      feed.publish({event: 'deleted', id: book.id});
      return {status: 204};
    }
    if (req.method !== 'PUT') return json(405, {error: 'method not allowed'});
    if (!book) return json(404, {error: `no book ${id}`});
    const input = parse(req.body) ?? {};
    const authorId = typeof input.authorId === 'number' ? input.authorId : book.authorId;
    const check = await authorExists(req, authorId);
    if (check !== 200) return json(check === 404 ? 422 : 502, {error: `author ${authorId} not usable`});
    Object.assign(book, {title: typeof input.title === 'string' ? input.title : book.title, authorId});
    feed.publish({event: 'updated', id: book.id});
    return json(200, book);
  };
}
