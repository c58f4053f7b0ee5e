import {describe, expect, it} from 'vitest';
import {identityFromServerInfo} from '../../src/dialects/envoy/identity.js';
import {identityFromEnv} from '../../src/dialects/linkerd/identity.js';
import {AddressBook} from '../../src/views/address-book.js';
import {canonicalIp, hostOfAddress, ipOfAddress} from '../../src/util/ip.js';

const books = {name: 'books', namespace: 'booksapp'};
const authors = {name: 'authors', namespace: 'booksapp'};
const webapp = {name: 'webapp', namespace: 'booksapp'};

describe('IP spelling', () => {
  it('keeps IPv4, lower-cases and compresses IPv6, unwraps IPv4-mapped IPv6 in both spellings', () => {
    expect(canonicalIp('10.1.2.3')).toBe('10.1.2.3');
    expect(canonicalIp('FD00:0:0:0:0:0:0:1')).toBe('fd00::1');
    expect(canonicalIp('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(canonicalIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(canonicalIp('::FFFF:a01:203')).toBe('10.1.2.3');
  });

  it('is null for host names and junk', () => {
    for (const text of ['books', 'books.booksapp', '10.1.2', '', '1.2.3.4.5', 'fe80::zz']) expect(canonicalIp(text)).toBeNull();
  });

  it('reads the IP out of every socket-address shape a trace shows, port or not', () => {
    expect(ipOfAddress('10.1.2.3:8080')).toBe('10.1.2.3');
    expect(ipOfAddress('10.1.2.3')).toBe('10.1.2.3');
    expect(ipOfAddress('[::1]:7002')).toBe('::1');
    expect(ipOfAddress('[FD00::0:1]:80')).toBe('fd00::1');
    expect(ipOfAddress('[::1]')).toBe('::1');
    expect(ipOfAddress('::1')).toBe('::1');
    expect(ipOfAddress('[::ffff:127.0.3.1]:45000')).toBe('127.0.3.1');
  });

  it('finds no IP in pipes, internal listeners and host names', () => {
    for (const text of ['/var/run/envoy.sock', 'internal:outbound_tunnel', 'books:7002', 'books.booksapp:7002', '[books]:80']) {
      expect(ipOfAddress(text)).toBeNull();
    }
  });

  it('takes the host of socket addresses and authorities, a bare IPv6 literal whole', () => {
    expect(hostOfAddress('books.booksapp:7002')).toBe('books.booksapp');
    expect(hostOfAddress('books')).toBe('books');
    expect(hostOfAddress('[fd00::1]:443')).toBe('fd00::1');
    expect(hostOfAddress('fd00::1')).toBe('fd00::1');
    expect(hostOfAddress(':7002')).toBe('');
  });
});

describe('the address book', () => {
  const book = new AddressBook([
    {workload: books, podIp: '10.0.0.5'},
    {workload: authors, podIp: 'fd00::7'},
    // Two pods of one workload on one node's address (host network): still that workload.
    {workload: webapp, podIp: '10.0.0.9'},
    {workload: webapp, podIp: '10.0.0.9'},
    // Two workloads behind one address: nobody can be named there.
    {workload: {name: 'a', namespace: 'x'}, podIp: '10.0.0.1'},
    {workload: {name: 'b', namespace: 'x'}, podIp: '10.0.0.1'},
    {workload: {name: 'plain', namespace: null}, podIp: null},
  ]);

  it('names the one workload whose pod has the address IP, whatever the port', () => {
    expect(book.workloadAt('10.0.0.5:43112')).toEqual(books);
    expect(book.workloadAt('10.0.0.5:7002')).toEqual(books);
    expect(book.workloadAt('[fd00:0::7]:5000')).toEqual(authors);
    expect(book.workloadAt('[::ffff:10.0.0.5]:1')).toEqual(books);
    expect(book.workloadAt('10.0.0.9:1234')).toEqual(webapp);
  });

  it('names nobody for a shared IP, an unknown IP, a non-address, or null', () => {
    expect(book.workloadAt('10.0.0.1:5000')).toBeNull();
    expect(book.workloadAt('10.0.0.6:5000')).toBeNull();
    expect(book.workloadAt('[::1]:5000')).toBeNull();
    expect(book.workloadAt('books:7002')).toBeNull();
    expect(book.workloadAt(null)).toBeNull();
  });

  it('lists the workloads of a namespace that answer to a service name, with or without an IP', () => {
    const versioned = new AddressBook([
      {workload: {name: 'reviews-v1', namespace: 'bookinfo'}, podIp: '10.0.1.1'},
      {workload: {name: 'reviews-v2', namespace: 'bookinfo'}, podIp: '10.0.1.2'},
      {workload: {name: 'reviews-v2', namespace: 'bookinfo'}, podIp: '10.0.1.3'},
      {workload: {name: 'ratings-v1', namespace: 'bookinfo'}, podIp: null},
      {workload: {name: 'ratings-v1', namespace: 'other'}, podIp: null},
    ]);
    const names = (namespace: string, service: string) => versioned.workloadsAnswering(namespace, service).map((w) => w.name).sort();
    expect(names('bookinfo', 'reviews')).toEqual(['reviews-v1', 'reviews-v2']);
    expect(names('bookinfo', 'reviews-v2')).toEqual(['reviews-v2']);
    expect(names('bookinfo', 'ratings')).toEqual(['ratings-v1']);
    expect(names('bookinfo', 'rating')).toEqual([]);
    expect(names('nowhere', 'reviews')).toEqual([]);
    expect(book.workloadsAnswering('booksapp', 'books')).toEqual([books]);
    expect(book.workloadsAnswering('x', 'a').map((w) => w.name)).toEqual(['a']);
  });
});

describe('pod IP from an Envoy node id', () => {
  it('takes the second field of an Istio node id, IPv4 or IPv6', () => {
    const v4 = identityFromServerInfo({node: {id: 'sidecar~10.244.1.17~books-6b9c7d8f5d-x2kqp.booksapp~booksapp.svc.cluster.local'}});
    expect(v4).toMatchObject({pod: 'books-6b9c7d8f5d-x2kqp', namespace: 'booksapp', podIp: '10.244.1.17'});
    const v6 = identityFromServerInfo({node: {id: 'sidecar~FD00:10:244::11~books-6b9c7d8f5d-x2kqp.booksapp~booksapp.svc.cluster.local'}});
    expect(v6.podIp).toBe('fd00:10:244::11');
  });

  it('is null when the node id is not Istio-shaped or its IP field is not an IP', () => {
    expect(identityFromServerInfo({node: {id: 'front-envoy', cluster: 'front'}}).podIp).toBeNull();
    expect(identityFromServerInfo({node: {id: 'sidecar~not-an-ip~books-0.booksapp~booksapp.svc.cluster.local'}}).podIp).toBeNull();
  });
});

describe('pod IP from a Linkerd proxy\'s /env.json', () => {
  it('takes the first well-formed address of LINKERD2_PROXY_INBOUND_IPS (the pod\'s status.podIPs)', () => {
    const base = {_pod_name: 'books-6b9c7d8f5d-x2kqp', _pod_ns: 'booksapp'};
    expect(identityFromEnv({...base, LINKERD2_PROXY_INBOUND_IPS: '10.244.1.17,fd00:10:244:1::11'}).podIp).toBe('10.244.1.17');
    expect(identityFromEnv({...base, LINKERD2_PROXY_INBOUND_IPS: 'FD00:10:244:1::11'}).podIp).toBe('fd00:10:244:1::11');
    expect(identityFromEnv({...base, LINKERD2_PROXY_INBOUND_IPS: 'garbage, 10.0.0.3'}).podIp).toBe('10.0.0.3');
    expect(identityFromEnv({...base, LINKERD2_PROXY_INBOUND_IPS: ''}).podIp).toBeNull();
    expect(identityFromEnv(base).podIp).toBeNull();
  });
});
