import type {TrafficEvent} from '../../src/model/traffic.js';

/** A complete, plain TrafficEvent for tests; override what the test is about. */
export function makeEvent(overrides: Partial<TrafficEvent> = {}): TrafficEvent {
  return {
    id: '0:0',
    proxy: 'proxy-a',
    direction: 'inbound',
    source: '10.0.0.1:40000',
    destination: '10.0.0.2:8080',
    sourceAddress: '10.0.0.1:40000',
    destinationAddress: '10.0.0.2:8080',
    method: 'GET',
    scheme: 'http',
    authority: 'books:8080',
    path: '/books/1',
    status: 200,
    grpcStatus: null,
    latencyMs: 5,
    latencySource: 'upstream-service-time',
    requestBytes: 0,
    responseBytes: 100,
    requestBodyTruncated: false,
    responseBodyTruncated: false,
    requestHeaders: [],
    responseHeaders: [],
    responseTrailers: [],
    route: null,
    outcome: 'response',
    requestStartMs: null,
    responseHeadersMs: null,
    endMs: null,
    observedAtMs: 1_000_000,
    ...overrides,
  };
}
