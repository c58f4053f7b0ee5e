import {describe, expect, it} from 'vitest';
import {ServiceRegistry} from '../../src/demo/mesh/registry.js';
import {podInfo} from '../../src/demo/mesh/pod.js';
import {BOOKS, matchRoute, podsFor, WEBAPP} from '../../src/demo/topology.js';

describe('bookstore topology', () => {
  it('has the workloads and replicas of the sample app', () => {
    const pods = podsFor(1);
    const count = (w: string) => pods.filter((p) => p.workload.name === w).length;
    expect({traffic: count('traffic'), webapp: count('webapp'), books: count('books'), authors: count('authors')}).toEqual({traffic: 1, webapp: 2, books: 1, authors: 1});
  });

  it('names pods like a Deployment does, the same for the same seed', () => {
    const pods = podsFor(99);
    for (const p of pods) {
      expect(p.name).toMatch(new RegExp(`^${p.workload.name}-${p.templateHash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      // The workload is what is left after dropping the two generated parts.
      expect(p.name.split('-').slice(0, -2).join('-')).toBe(p.workload.name);
    }
    const replicas = pods.filter((p) => p.workload.name === 'webapp');
    expect(replicas[0].templateHash).toBe(replicas[1].templateHash);
    expect(replicas[0].name).not.toBe(replicas[1].name);
    expect(podsFor(99).map((p) => p.name)).toEqual(pods.map((p) => p.name));
    expect(podsFor(100).map((p) => p.name)).not.toEqual(pods.map((p) => p.name));
  });

  it('matches route templates on method and path, ignoring the query', () => {
    expect(matchRoute(BOOKS, 'GET', '/books/12')?.template).toBe('GET /books/{id}');
    expect(matchRoute(BOOKS, 'GET', '/books?author=3')?.template).toBe('GET /books');
    expect(matchRoute(BOOKS, 'PUT', '/books/12')?.name).toBe('books-update');
    expect(matchRoute(WEBAPP, 'POST', '/books/3/edit')?.template).toBe('POST /books/{id}/edit');
    expect(matchRoute(WEBAPP, 'GET', '/')?.template).toBe('GET /');
    expect(matchRoute(BOOKS, 'PATCH', '/books/1')).toBeNull();
    expect(matchRoute(BOOKS, 'GET', '/books/1/x')).toBeNull();
  });

  it('resolves service authorities the way cluster DNS does from inside the namespace', () => {
    const registry = new ServiceRegistry();
    registry.add({pod: podInfo(podsFor(1).find((p) => p.workload.name === 'books')!, '127.0.1.2'), service: BOOKS, host: '127.0.1.2', port: 40000});
    for (const authority of ['books.booksapp.svc.cluster.local:7002', 'books:7002', 'books.booksapp:7002', 'books.booksapp.svc:7002', 'BOOKS:7002']) {
      expect(registry.resolve(authority)?.endpoints[0].port, authority).toBe(40000);
    }
    for (const authority of ['books:7001', 'books.other:7002', 'books', 'authors:7002']) expect(registry.resolve(authority), authority).toBeNull();
  });
});
