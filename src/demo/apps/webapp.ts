import {latencyMs, Random} from '../random.js';
import {AUTHORS, BOOKS} from '../topology.js';
import type {CallResult, ServiceClient} from './client.js';
import {json, propagated, sleep, type AppHandler, type AppResponse} from './server.js';

/** The status webapp answers with when a backend call went wrong. */
function backendFailure(result: CallResult): AppResponse | null {
  if (result.status === 0 || result.status >= 500) return json(500, {error: 'backend failed', status: result.status});
  return null;
}

/**
 * The web front end. Every page calls books and/or authors; a 5xx (or no answer) from a
 * backend becomes a 500, a missing book or author a 404, a successful form post a 303.
 */
export function webappApp(rng: Random, client: ServiceClient): AppHandler {
  return async (req) => {
    const headers = propagated(req.headers);
    const [first, id, action] = req.segments;
    await sleep(latencyMs(rng, 1.5));

    if (req.method === 'GET' && req.segments.length === 0) {
      const [books, authors] = await Promise.all([
        client.call(BOOKS, 'GET', '/books', {headers}),
        client.call(AUTHORS, 'GET', '/authors', {headers}),
      ]);
      return backendFailure(books) ?? backendFailure(authors) ?? page(`${books.body.length + authors.body.length} bytes of catalogue`);
    }
    if (req.method === 'GET' && first === 'books' && id && !action) {
      const book = await client.call(BOOKS, 'GET', `/books/${id}`, {headers});
      const failed = backendFailure(book);
      if (failed) return failed;
      if (book.status === 404) return json(404, {error: `no book ${id}`});
      const authorId = (JSON.parse(book.body) as {authorId: number}).authorId;
      const author = await client.call(AUTHORS, 'GET', `/authors/${authorId}`, {headers});
      return backendFailure(author) ?? page(book.body);
    }
    if (req.method === 'GET' && first === 'authors' && id && !action) {
      const author = await client.call(AUTHORS, 'GET', `/authors/${id}`, {headers});
      const failed = backendFailure(author);
      if (failed) return failed;
      if (author.status === 404) return json(404, {error: `no author ${id}`});
      const books = await client.call(BOOKS, 'GET', `/books?author=${encodeURIComponent(id)}`, {headers});
      return backendFailure(books) ?? page(author.body);
    }
    if (req.method === 'POST' && first === 'books' && !id) {
      const result = await client.call(BOOKS, 'POST', '/books', {headers, body: req.body});
      return backendFailure(result) ?? redirect(result);
    }
    if (req.method === 'POST' && first === 'books' && id && action === 'edit') {
      const result = await client.call(BOOKS, 'PUT', `/books/${id}`, {headers, body: req.body});
      return backendFailure(result) ?? redirect(result);
    }
    if (req.method === 'POST' && first === 'books' && id && action === 'delete') {
      const result = await client.call(BOOKS, 'DELETE', `/books/${id}`, {headers});
      return backendFailure(result) ?? redirect(result);
    }
    return json(404, {error: 'not found'});
  };
}

function page(content: string): AppResponse {
  return {status: 200, body: `<html><body><h1>Books</h1><pre>${content.replace(/</g, '&lt;')}</pre></body></html>`, headers: {'content-type': 'text/html'}};
}

/** A form post that worked sends the browser back to the index; a rejected one shows why. */
function redirect(result: CallResult): AppResponse {
  if (result.status >= 200 && result.status < 300) return {status: 303, body: '', headers: {location: '/'}};
  return json(result.status === 404 ? 404 : 400, {error: 'rejected', status: result.status});
}
