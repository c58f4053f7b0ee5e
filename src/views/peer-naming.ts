import type {Peer, TrafficEvent} from '../model/traffic.js';
import {sameWorkload, type WorkloadRef} from '../model/workload.js';
import type {AddressBook} from './address-book.js';
import {canonicalIp, hostOfAddress} from '../util/ip.js';

/**
 * Name the other side of a tapped request when the trace left only a socket address there
 * (Istio's metadata exchange consumes the peer headers before the tap filter sees them):
 * - inbound: the caller's IP (`downstream_connection.remote_address`) when it is the pod IP
 *   of exactly one known workload;
 * - outbound: the callee's IP the same way, else an authority that is a Kubernetes service
 *   name (`books:7002`, `books.booksapp:7002`, `books.booksapp.svc.cluster.local:7002`)
 *   when exactly one known workload in that namespace answers to it (`books`, or a
 *   versioned `books-v2`).
 * The raw address stays in `sourceAddress` / `destinationAddress`. A side already named
 * stays as it is; so does anything the book cannot name for certain.
 */
export function namePeers(event: TrafficEvent, book: AddressBook): TrafficEvent {
  if (event.direction === 'inbound' && !isWorkload(event.source)) {
    const caller = book.workloadAt(event.sourceAddress);
    return caller ? {...event, source: caller} : event;
  }
  if (event.direction === 'outbound' && !isWorkload(event.destination)) {
    const self = isWorkload(event.source) ? event.source : null;
    const callee = notSelf(book.workloadAt(event.destinationAddress), self) ?? serviceWorkload(event.authority, self, book);
    return callee ? {...event, destination: callee} : event;
  }
  return event;
}

function isWorkload(peer: Peer): peer is WorkloadRef {
  return peer !== null && typeof peer !== 'string';
}

/**
 * Without `upstream_connection`, an outbound trace's destination address is the listener's
 * own local address, which for an explicit (non-intercepting) listener is the caller's own
 * pod IP: that names the caller, not the callee.
 */
function notSelf(found: WorkloadRef | null, self: WorkloadRef | null): WorkloadRef | null {
  return found && self && sameWorkload(found, self) ? null : found;
}

/** The one known workload a service-name authority can mean, else null. */
function serviceWorkload(authority: string | null, self: WorkloadRef | null, book: AddressBook): WorkloadRef | null {
  if (authority === null) return null;
  const host = hostOfAddress(authority).toLowerCase();
  if (host === '') return null;
  if (canonicalIp(host) !== null) return notSelf(book.workloadAt(host), self);
  const service = serviceOf(host, self?.namespace ?? null);
  if (service === null) return null;
  const matches = book.workloadsAnswering(service.namespace, service.name);
  return matches.length === 1 ? matches[0] : null;
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * `svc` (resolved in the caller's namespace, as the pod's DNS search path does), `svc.ns`,
 * `svc.ns.svc`, `svc.ns.svc.<cluster domain>` → service name and namespace.
 */
function serviceOf(host: string, ownNamespace: string | null): {name: string; namespace: string} | null {
  const labels = host.replace(/\.$/, '').split('.');
  if (!labels.every((label) => DNS_LABEL.test(label))) return null;
  if (labels.length === 1) return ownNamespace === null ? null : {name: labels[0], namespace: ownNamespace};
  if (labels.length > 2 && labels[2] !== 'svc') return null;
  return {name: labels[0], namespace: labels[1]};
}
