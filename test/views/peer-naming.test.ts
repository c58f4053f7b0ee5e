import {describe, expect, it} from 'vitest';
import {AddressBook} from '../../src/views/address-book.js';
import {namePeers} from '../../src/views/peer-naming.js';
import {makeEvent} from '../live/events.js';

const webapp = {name: 'webapp', namespace: 'booksapp'};
const books = {name: 'books', namespace: 'booksapp'};
const authors = {name: 'authors', namespace: 'booksapp'};
const reviewsV1 = {name: 'reviews-v1', namespace: 'bookinfo'};
const reviewsV2 = {name: 'reviews-v2', namespace: 'bookinfo'};
const detailsV1 = {name: 'details-v1', namespace: 'bookinfo'};
const productpage = {name: 'productpage-v1', namespace: 'bookinfo'};

const book = new AddressBook([
  {workload: webapp, podIp: '10.0.0.2'},
  {workload: books, podIp: '10.0.0.3'},
  {workload: authors, podIp: 'fd00::4'},
  {workload: reviewsV1, podIp: '10.0.1.1'},
  {workload: reviewsV2, podIp: '10.0.1.2'},
  {workload: detailsV1, podIp: '10.0.1.3'},
  {workload: productpage, podIp: '10.0.1.4'},
  {workload: {name: 'left', namespace: 'x'}, podIp: '10.9.9.9'},
  {workload: {name: 'right', namespace: 'x'}, podIp: '10.9.9.9'},
]);

function inbound(sourceAddress: string | null) {
  return makeEvent({direction: 'inbound', source: sourceAddress, destination: books, sourceAddress, destinationAddress: '10.0.0.3:7002'});
}

function outbound(authority: string | null, destinationAddress: string | null = null, self = webapp) {
  return makeEvent({direction: 'outbound', source: self, destination: destinationAddress, sourceAddress: '10.0.0.2:51000', destinationAddress, authority});
}

describe('naming the caller of an inbound request', () => {
  it('names the workload whose pod IP called, keeping the raw address', () => {
    const named = namePeers(inbound('10.0.0.2:51234'), book);
    expect(named.source).toEqual(webapp);
    expect(named.sourceAddress).toBe('10.0.0.2:51234');
    expect(named.destination).toEqual(books);
  });

  it('reads IPv6 and IPv4-mapped caller addresses', () => {
    expect(namePeers(inbound('[fd00:0:0::4]:40000'), book).source).toEqual(authors);
    expect(namePeers(inbound('[::ffff:10.0.0.2]:40000'), book).source).toEqual(webapp);
  });

  it('leaves an unknown, shared or missing address as it is', () => {
    for (const address of ['10.0.0.99:40000', '10.9.9.9:40000', '[::1]:40000', '/tmp/envoy.sock', null]) {
      expect(namePeers(inbound(address), book).source).toBe(address);
    }
  });

  it('never overrides a caller already named (from exchange metadata)', () => {
    const event = makeEvent({direction: 'inbound', source: authors, destination: books, sourceAddress: '10.0.0.2:51234'});
    expect(namePeers(event, book).source).toEqual(authors);
  });

  it('leaves events of unknown side alone', () => {
    const event = makeEvent({direction: null, source: '10.0.0.2:51234', sourceAddress: '10.0.0.2:51234', destination: '10.0.0.3:7002', destinationAddress: '10.0.0.3:7002'});
    expect(namePeers(event, book)).toEqual(event);
  });
});

describe('naming the callee of an outbound request', () => {
  it('names the workload at the upstream address, keeping the raw address', () => {
    const named = namePeers(outbound('books:7002', '10.0.0.3:7002'), book);
    expect(named.destination).toEqual(books);
    expect(named.destinationAddress).toBe('10.0.0.3:7002');
  });

  it('does not take the caller for its own callee (an explicit listener on its own pod IP)', () => {
    expect(namePeers(outbound('svc.elsewhere.example:80', '10.0.0.2:9001'), book).destination).toBe('10.0.0.2:9001');
  });

  it('names a service authority in every Kubernetes spelling when one workload in that namespace answers to it', () => {
    for (const authority of ['books.booksapp.svc.cluster.local:7002', 'books.booksapp:7002', 'books.booksapp.svc:7002', 'books:7002', 'BOOKS.booksapp.svc.cluster.local.:7002']) {
      expect(namePeers(outbound(authority, '10.96.0.10:7002'), book).destination, authority).toEqual(books);
    }
  });

  it('names a versioned workload when it is the only version known', () => {
    expect(namePeers(outbound('details.bookinfo.svc.cluster.local:9080', null, productpage), book).destination).toEqual(detailsV1);
  });

  it('leaves a service that several known workloads answer to (reviews v1 and v2)', () => {
    expect(namePeers(outbound('reviews:9080', null, productpage), book).destination).toBeNull();
  });

  it('leaves a service with no known workload, or one in another namespace', () => {
    expect(namePeers(outbound('ratings.bookinfo:9080', null, productpage), book).destination).toBeNull();
    expect(namePeers(outbound('books.otherns.svc.cluster.local:7002'), book).destination).toBeNull();
    expect(namePeers(outbound('books:7002', null, {name: 'webapp', namespace: 'otherns'}), book).destination).toBeNull();
  });

  it('leaves external host names and authorities that are not service names', () => {
    for (const authority of ['api.github.com:443', 'books.booksapp.cluster.local:7002', 'books\u001b[31m.booksapp:7002', '', null]) {
      expect(namePeers(outbound(authority), book).destination, String(authority)).toBeNull();
    }
  });

  it('names a pod IP used as authority, but not the caller itself', () => {
    expect(namePeers(outbound('10.0.0.3:7002'), book).destination).toEqual(books);
    expect(namePeers(outbound('[fd00::4]:7001'), book).destination).toEqual(authors);
    expect(namePeers(outbound('10.0.0.2:7000'), book).destination).toBeNull();
  });

  it('prefers the upstream address to the authority', () => {
    expect(namePeers(outbound('books:7002', '[fd00::4]:7001'), book).destination).toEqual(authors);
  });
});
