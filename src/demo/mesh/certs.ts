import {execFile} from 'node:child_process';
import {X509Certificate} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {linkerdIdentity, spiffeIdentity} from '../topology.js';

const run = promisify(execFile);

export interface IdentityCert {
  key: Buffer;
  cert: Buffer;
  notAfter: Date;
}

/** A per-demo CA and one workload certificate per service account. */
export interface MeshCerts {
  ca: Buffer;
  identities: Map<string, IdentityCert>;
}

const CURVE = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * Mint (or reuse from `dir`) the certificates for real mutual TLS between sidecars, with the
 * Debian `openssl` CLI. Each workload certificate carries both the Linkerd identity (DNS SAN)
 * and the SPIFFE identity (URI SAN). Returns null when openssl is unavailable or fails; the
 * mesh then runs in plaintext and labels say so.
 */
export async function ensureCertificates(dir: string, serviceAccounts: readonly string[]): Promise<MeshCerts | null> {
  try {
    mkdirSync(dir, {recursive: true, mode: 0o700});
    const caKey = join(dir, 'ca.key');
    const caCert = join(dir, 'ca.crt');
    if (!existsSync(caKey) || !usable(caCert, 2)) {
      await openssl(['req', '-x509', ...CURVE, '-keyout', caKey, '-out', caCert, '-days', '365',
        '-subj', '/CN=meshctl demo trust anchor',
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    }
    const identities = new Map<string, IdentityCert>();
    await Promise.all(serviceAccounts.map(async (sa) => {
      const key = join(dir, `${sa}.key`);
      const cert = join(dir, `${sa}.crt`);
      if (!existsSync(key) || !usable(cert, 1, caCert)) {
        await openssl(['req', '-x509', '-CA', caCert, '-CAkey', caKey, ...CURVE, '-keyout', key, '-out', cert,
          '-days', '30', '-subj', `/CN=${linkerdIdentity(sa)}`,
          '-addext', `subjectAltName=DNS:${linkerdIdentity(sa)},URI:${spiffeIdentity(sa)}`,
          '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'extendedKeyUsage=serverAuth,clientAuth']);
      }
      const pem = readFileSync(cert);
      identities.set(sa, {key: readFileSync(key), cert: pem, notAfter: new Date(new X509Certificate(pem).validTo)});
    }));
    return {ca: readFileSync(caCert), identities};
  } catch {
    return null;
  }
}

async function openssl(args: string[]): Promise<void> {
  await run('openssl', args, {timeout: 5000});
}

/** A cached certificate is reused while it stays valid for `days` more days (and, for a leaf, chains to the CA). */
function usable(path: string, days: number, caPath?: string): boolean {
  try {
    const cert = new X509Certificate(readFileSync(path));
    if (new Date(cert.validTo).getTime() < Date.now() + days * 86_400_000) return false;
    if (caPath && !cert.verify(new X509Certificate(readFileSync(caPath)).publicKey)) return false;
    return true;
  } catch {
    return false;
  }
}
