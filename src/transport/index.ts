export {createClient, DEFAULT_CONCURRENCY, DEFAULT_MAX_BYTES} from './client.js';
export {describeTransportError} from './errors.js';
export type * from './types.js';
