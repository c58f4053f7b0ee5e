import {describe, expect, it} from 'vitest';
import {OTHER_ROUTE, RouteTemplates, templatePath} from '../../src/views/route-template.js';

describe('route templates from observed paths', () => {
  it.each([
    ['/books/123', '/books/{id}'],
    ['/authors/1353.json', '/authors/{id}.json'],
    ['/books.json', '/books.json'],
    ['/api/v1/books/42/reviews?page=2#top', '/api/v1/books/{id}/reviews'],
    ['/users/3f1c2a9e-7b4d-4c1e-9f5a-0c2b7d9e8a11/orders', '/users/{id}/orders'],
    ['/files/3f1c2a9e-7b4d-4c1e-9f5a-0c2b7d9e8a11.pdf', '/files/{id}.pdf'],
    ['/commits/9fceb02d0ae598e95dc970b74767f19372d61af8', '/commits/{id}'],
    ['/objects/5f2b6c1d9e8a', '/objects/{id}'],
    ['/emojivoto.v1.VotingService/VoteDoughnut', '/emojivoto.v1.VotingService/VoteDoughnut'],
    ['/reset/dGhpcyBpcyBhIHRva2Vu9x', '/reset/{id}'],
    ['/oauth2-callback-v2', '/oauth2-callback-v2'],
    ['/sessions/a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8', '/sessions/{id}'],
    ['/api/v2/status', '/api/v2/status'],
    ['/assets/app.deadbeef.js', '/assets/app.deadbeef.js'],
    ['/', '/'],
    ['/orders/2024/05/01', '/orders/{id}/{id}/{id}'],
    ['/healthz', '/healthz'],
    ['/io.linkerd.proxy.destination.Destination/Get', '/io.linkerd.proxy.destination.Destination/Get'],
    ['/cafe', '/cafe'],
  ])('%s → %s', (path, template) => {
    expect(templatePath(path)).toBe(template);
  });

  it('names routes with the method and keeps at most maxTemplates, then says [other]', () => {
    const routes = new RouteTemplates(2);
    expect(routes.routeOf('GET', '/books/1')).toBe('GET /books/{id}');
    expect(routes.routeOf('GET', '/books/2?x=1')).toBe('GET /books/{id}');
    expect(routes.routeOf('POST', '/books')).toBe('POST /books');
    expect(routes.routeOf('GET', '/authors/7')).toBe(OTHER_ROUTE);
    expect(routes.routeOf('POST', '/books')).toBe('POST /books');
    expect(routes.routeOf(null, null)).toBe(OTHER_ROUTE);
    expect(routes.size).toBe(2);
  });
});
