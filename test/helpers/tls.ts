import {execFileSync, spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {tempDir} from './cli.js';

/** Tests that need certificates mint them with the openssl CLI, as the demo does. */
export const HAVE_OPENSSL = spawnSync('openssl', ['version']).status === 0;

let noticed = false;
export function noticeIfNoOpenssl(): void {
  if (!HAVE_OPENSSL && !noticed) {
    noticed = true;
    process.stderr.write('\n[meshctl tests] NOTICE: openssl not found on PATH; TLS tests are SKIPPED\n\n');
  }
}

export interface Pki {
  dir: string;
  /** File paths and their PEM text. */
  caFile: string;
  ca: string;
  serverKey: string;
  serverCert: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** A CA that signed nothing here. */
  otherCaFile: string;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A CA, a server certificate for 127.0.0.1 and a client certificate it signed, in a temp dir. */
export function mintPki(): Pki {
  const dir = tempDir('meshctl-pki-');
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, {stdio: 'pipe'});
  const ca = (name: string) =>
    openssl('req', '-x509', ...EC, '-keyout', at(`${name}.key`), '-out', at(`${name}.crt`), '-days', '2', '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const leaf = (name: string, extensions: string) => {
    openssl('req', ...EC, '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`), '-subj', `/CN=${name}`);
    writeFileSync(at(`${name}.ext`), extensions);
    openssl('x509', '-req', '-in', at(`${name}.csr`), '-CA', at('ca.crt'), '-CAkey', at('ca.key'), '-CAcreateserial', '-days', '2',
      '-out', at(`${name}.crt`), '-extfile', at(`${name}.ext`));
  };
  ca('ca');
  ca('other-ca');
  leaf('server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  leaf('client', 'extendedKeyUsage=clientAuth\n');
  const text = (name: string) => readFileSync(at(name), 'utf8');
  return {
    dir,
    caFile: at('ca.crt'),
    ca: text('ca.crt'),
    serverKey: text('server.key'),
    serverCert: text('server.crt'),
    clientCertFile: at('client.crt'),
    clientKeyFile: at('client.key'),
    otherCaFile: at('other-ca.crt'),
  };
}
