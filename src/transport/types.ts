/** Why a request to a proxy failed. Errors are values: one proxy failing never throws. */
export type TransportErrorKind =
  | 'refused' // connection refused / host unreachable
  | 'dns' // name did not resolve
  | 'timeout' // the per-request timeout elapsed
  | 'deadline' // the command's overall deadline elapsed
  | 'reset' // connection reset or closed mid-response (truncated body)
  | 'status' // a non-2xx answer where 2xx was required
  | 'too-large' // body (after decompression) exceeded the size cap
  | 'decode' // bad gzip, invalid JSON, ...
  | 'redirect' // redirect to another host, or too many redirects
  | 'aborted' // cancelled by the caller (Ctrl-C)
  | 'tls' // TLS handshake / certificate problem
  | 'other';

export interface TransportError {
  kind: TransportErrorKind;
  /** One line for humans, free of terminal control sequences, without the URL. */
  message: string;
  url: string;
  status?: number;
}

export type Result<T> = {ok: true; value: T} | {ok: false; error: TransportError};

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Overrides the client's per-request timeout (covers connect through the last body byte). */
  timeoutMs?: number;
  /** Absolute deadline on the `nowMs()` clock; the request ends at whichever comes first. */
  deadlineMs?: number;
  /** Overrides the client's cap on the decoded body size. */
  maxBytes?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** The reason phrase as sent (`Not Found`); untrusted, sanitize before printing. */
  statusText?: string;
  /** As received (`content-encoding` still says gzip even though `body` is decoded). */
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Final URL after same-host redirects. */
  url: string;
}

/** A response whose body is consumed incrementally (Envoy /tap streams). */
export interface HttpStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Body chunks, already un-gzipped; ends when the server ends or close() is called. */
  body: AsyncIterable<Uint8Array>;
  close(): void;
  /**
   * Why the body ended, once it has: null when the server ended it or close() was called,
   * else `reset`, `decode` or `aborted`. The iteration itself never throws.
   */
  endError?(): TransportError | null;
}

export interface ClientSettings {
  timeoutMs: number;
  /** Headers sent with every request (auth proxies in front of admin ports). */
  headers?: Record<string, string>;
  /** Cap on a decoded body; default 64 MiB. */
  maxBytes?: number;
  /** Requests in flight at once across the whole client. */
  concurrency?: number;
  /** For https:// endpoints; without it, the system's CAs verify the server. */
  tls?: TlsMaterial;
}

/** PEM text for https:// admin endpoints. */
export interface TlsMaterial {
  /** CAs trusted in addition to the system's. */
  ca?: string;
  /** Client certificate and key, for endpoints that ask for one. */
  cert?: string;
  key?: string;
  /** Accept any server certificate (still encrypted, no longer authenticated). */
  insecureSkipVerify?: boolean;
}

/**
 * The only code that talks HTTP to proxies. Every method resolves (never rejects) with a
 * Result. gzip is requested and decoded transparently; redirects are followed only within
 * the same host and port.
 */
export interface AdminClient {
  /** Any HTTP status is a success here; the caller inspects `status`. */
  request(url: string, options?: RequestOptions): Promise<Result<HttpResponse>>;
  /** Like request, but a non-2xx status becomes an error of kind `status`. */
  getText(url: string, options?: RequestOptions): Promise<Result<HttpResponse>>;
  /** GET and parse JSON; non-2xx → `status`, unparsable → `decode`. */
  getJson<T = unknown>(url: string, options?: RequestOptions): Promise<Result<T>>;
  /**
   * Open a streaming response (no size cap on the whole stream, no body timeout). Resolves
   * when the headers arrive; a non-2xx answer becomes a `status` error carrying the start of
   * its body (Envoy's /tap explains refusals there). Only the opening counts against the
   * concurrency limit, the timeout and the deadline; the caller's signal and close() end it.
   */
  stream(url: string, options?: RequestOptions): Promise<Result<HttpStream>>;
}
