import {X509Certificate} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {createSecureContext} from 'node:tls';
import {UsageError, UserError, errorMessage} from '../errors.js';
import type {TlsMaterial} from '../transport/types.js';
import type {TlsFiles} from './resolve.js';

/** The global TLS flags, as commander gives them. */
export interface TlsFlags {
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
  insecureSkipTlsVerify?: boolean;
}

/**
 * The TLS material for https:// admin endpoints: each flag wins over the same setting in the
 * context. Files are read and checked now, so a wrong path or a key that does not belong to its
 * certificate is one clear error before any proxy is contacted. Undefined when nothing is set.
 */
export function loadTls(flags: TlsFlags, context: TlsFiles | undefined): TlsMaterial | undefined {
  const pick = <K extends 'certificateAuthority' | 'clientCertificate' | 'clientKey'>(key: K, flag: string) =>
    flags[key] !== undefined ? {path: flags[key], origin: flag} : context?.[key] !== undefined ? {path: context[key], origin: context.origin} : null;
  const ca = pick('certificateAuthority', '--certificate-authority');
  const cert = pick('clientCertificate', '--client-certificate');
  const key = pick('clientKey', '--client-key');
  const insecure = flags.insecureSkipTlsVerify ?? context?.insecureSkipVerify ?? false;
  if (!ca && !cert && !key && !insecure) return undefined;
  if ((cert === null) !== (key === null)) {
    const [given, missing] = cert ? [cert, 'a client key (--client-key, or client-key: under tls:)'] : [key!, 'a client certificate (--client-certificate, or client-certificate: under tls:)'];
    throw new UsageError(`${given.origin}: a client certificate and its key go together`, `also give ${missing}`);
  }
  const material: TlsMaterial = {insecureSkipVerify: insecure};
  if (ca) material.ca = checked(readPem(ca), ca, parseCertificates, 'no CA certificate in PEM form');
  if (cert && key) {
    const certPem = readPem(cert);
    const keyPem = readPem(key);
    checked(certPem, cert, parseCertificates, 'no certificate in PEM form');
    checked(keyPem, key, (pem) => createSecureContext({cert: certPem, key: pem}), 'not a PEM private key that belongs to the client certificate');
    material.cert = certPem;
    material.key = keyPem;
  }
  return material;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/** Every certificate in a PEM bundle; throws when there is none or one does not parse. */
function parseCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new Error('no PEM certificate');
  return blocks.map((block) => new X509Certificate(block));
}

function readPem(file: {path: string; origin: string}): string {
  try {
    return readFileSync(file.path, 'utf8');
  } catch (error) {
    throw new UserError(`${file.origin}: cannot read ${file.path}: ${errorMessage(error)}`);
  }
}

function checked(pem: string, file: {path: string; origin: string}, check: (pem: string) => unknown, what: string): string {
  try {
    check(pem);
    return pem;
  } catch {
    throw new UserError(`${file.origin}: ${file.path}: ${what}`);
  }
}
