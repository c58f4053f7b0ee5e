import {X509Certificate} from 'node:crypto';
import {connect as netConnect, type Socket} from 'node:net';
import {TLSSocket, connect as tlsConnect, createSecureContext, type PeerCertificate, type SecureContext} from 'node:tls';

/** What one sidecar needs for mutual TLS: the trust anchor and its own workload certificate. */
export interface TlsMaterial {
  ca: Buffer;
  key: Buffer;
  cert: Buffer;
  notAfter: Date;
}

/** Identities proven by a peer certificate that chains to the demo's trust anchor. */
export interface ProvenIdentity {
  dns: string | null;
  uri: string | null;
}

export function secureContext(material: TlsMaterial): SecureContext {
  return createSecureContext({ca: material.ca, key: material.key, cert: material.cert, minVersion: 'TLSv1.3'});
}

/** Server side of a sidecar-to-sidecar hop: ask for the client's certificate, verify it ourselves. */
export function acceptTls(socket: Socket, context: SecureContext): TLSSocket {
  return new TLSSocket(socket, {isServer: true, secureContext: context, requestCert: true, rejectUnauthorized: false});
}

/**
 * Client side: dial `host:port` over TCP (returned so callers can meter the raw bytes) and run
 * TLS over it, accepting the server only if its certificate names `expectedIdentity`.
 */
export function dialTls(
  host: string,
  port: number,
  context: SecureContext,
  expectedIdentity: string,
  localAddress?: string,
): {raw: Socket; tls: TLSSocket} {
  const raw = netConnect({host, port, localAddress});
  const tls = tlsConnect({
    socket: raw,
    secureContext: context,
    servername: expectedIdentity.startsWith('spiffe://') ? undefined : expectedIdentity,
    checkServerIdentity: (_host, cert) => {
      const id = identityOf(cert);
      if (id.dns === expectedIdentity || id.uri === expectedIdentity) return undefined;
      return new Error(`peer certificate does not name ${expectedIdentity}`);
    },
  });
  return {raw, tls};
}

/**
 * The identities a client proved: both null when it sent no certificate or one the trust
 * anchor did not issue. (A bare TLSSocket does not verify client certificates itself; only a
 * tls.Server would, so the check is done here. Demo chains are one level deep.)
 */
export function peerIdentity(socket: TLSSocket, trustAnchor: X509Certificate): ProvenIdentity {
  const none = {dns: null, uri: null};
  const peer = socket.getPeerX509Certificate();
  if (!peer) return none;
  const now = Date.now();
  const valid = Date.parse(peer.validFrom) <= now && now <= Date.parse(peer.validTo);
  if (!valid || !peer.checkIssued(trustAnchor) || !peer.verify(trustAnchor.publicKey)) return none;
  return identityOf(socket.getPeerCertificate());
}

/** A sidecar's TLS setup: its context (own certificate, trusted CA) and the parsed trust anchor. */
export interface SidecarTls {
  context: SecureContext;
  anchor: X509Certificate;
}

export function sidecarTls(material: TlsMaterial): SidecarTls {
  return {context: secureContext(material), anchor: new X509Certificate(material.ca)};
}

function identityOf(cert: PeerCertificate): ProvenIdentity {
  const sans = (cert?.subjectaltname ?? '').split(',').map((s) => s.trim());
  const dns = sans.find((s) => s.startsWith('DNS:'))?.slice(4) ?? null;
  const uri = sans.find((s) => s.startsWith('URI:'))?.slice(4) ?? null;
  return {dns, uri};
}
