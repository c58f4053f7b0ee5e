import {describe, expect, it} from 'vitest';
import {orientEvent, orientation, parseNodeId, type OwnProxy} from '../../../src/dialects/envoy/tap-direction.js';
import type {Header} from '../../../src/model/traffic.js';
import {makeEvent} from '../events.js';

const SELF: OwnProxy = {workload: {name: 'reviews-v1', namespace: 'default'}, pod: 'reviews-v1-545db77b95-xz7kq', namespace: 'default'};
const OWN_ID = 'sidecar~10.244.0.12~reviews-v1-545db77b95-xz7kq.default~default.svc.cluster.local';
const PEER_ID = 'sidecar~10.244.0.9~productpage-v1-6b746f74dc-9rlmh.default~default.svc.cluster.local';
const peerHeader = (id: string): Header => ['x-envoy-peer-metadata-id', id];

function event(request: Header[], response: Header[], authority = 'ratings:9080') {
  return makeEvent({requestHeaders: request, responseHeaders: response, authority, direction: null, source: '10.244.0.9:51234', destination: '10.244.0.14:9080'});
}

describe('Istio node ids', () => {
  it('reads pod and namespace from sidecar, router and waypoint ids', () => {
    expect(parseNodeId(OWN_ID)).toEqual({pod: 'reviews-v1-545db77b95-xz7kq', namespace: 'default'});
    expect(parseNodeId('router~10.1.0.5~istio-ingressgateway-7f8d9c-abcde.istio-system~istio-system.svc.cluster.local')).toEqual({
      pod: 'istio-ingressgateway-7f8d9c-abcde',
      namespace: 'istio-system',
    });
    expect(parseNodeId('not-a-node-id')).toBeNull();
    expect(parseNodeId('sidecar~1.2.3.4~~x')).toBeNull();
  });
});

describe('which side of the proxy a trace came from', () => {
  it('our id on the request: we sent it (outbound); the answering peer names the destination', () => {
    expect(orientation(event([peerHeader(OWN_ID)], [peerHeader(PEER_ID)]), SELF)).toEqual({
      direction: 'outbound',
      peer: {name: 'productpage-v1', namespace: 'default', kind: 'deployment'},
    });
  });

  it('our id on the response: we answered (inbound); a peer id on the request names the source', () => {
    expect(orientation(event([peerHeader(PEER_ID)], [peerHeader(OWN_ID)]), SELF)).toEqual({
      direction: 'inbound',
      peer: {name: 'productpage-v1', namespace: 'default', kind: 'deployment'},
    });
    expect(orientation(event([], [peerHeader(OWN_ID)]), SELF)).toEqual({direction: 'inbound', peer: null});
  });

  it('only a peer id: on the request it came in, on the response it went out', () => {
    expect(orientation(event([peerHeader(PEER_ID)], []), SELF).direction).toBe('inbound');
    expect(orientation(event([], [peerHeader(PEER_ID)]), SELF).direction).toBe('outbound');
  });

  it('same pod name in another namespace is not us', () => {
    const elsewhere = OWN_ID.replace('.default~default', '.staging~staging');
    expect(orientation(event([peerHeader(elsewhere)], []), SELF)).toMatchObject({direction: 'inbound', peer: {name: 'reviews-v1', namespace: 'staging'}});
  });

  it('without a pod name, our workload is recognised from the id', () => {
    const noPod: OwnProxy = {...SELF, pod: null};
    expect(orientation(event([peerHeader(OWN_ID)], []), noPod).direction).toBe('outbound');
  });

  it('no exchange headers: an authority naming our workload is inbound, anything else unknown', () => {
    expect(orientation(event([], [], 'reviews-v1:9080'), SELF)).toEqual({direction: 'inbound', peer: null});
    expect(orientation(event([], [], 'reviews-v1.default.svc.cluster.local:9080'), SELF).direction).toBe('inbound');
    expect(orientation(event([], [], 'reviews-v1.other.svc.cluster.local'), SELF).direction).toBeNull();
    expect(orientation(event([], [], 'ratings:9080'), SELF).direction).toBeNull();
  });
});

describe('orientEvent', () => {
  it('outbound: own workload as source, the peer as destination', () => {
    const oriented = orientEvent(event([peerHeader(OWN_ID)], [peerHeader(PEER_ID)]), SELF);
    expect(oriented).toMatchObject({direction: 'outbound', source: SELF.workload, destination: {name: 'productpage-v1', namespace: 'default'}});
  });

  it('inbound without peer metadata: the socket address stays as source', () => {
    const oriented = orientEvent(event([], [peerHeader(OWN_ID)]), SELF);
    expect(oriented).toMatchObject({direction: 'inbound', source: '10.0.0.1:40000', destination: SELF.workload});
  });

  it('unknown side: the event is left as decoded', () => {
    const original = event([], []);
    expect(orientEvent(original, SELF)).toBe(original);
  });
});
