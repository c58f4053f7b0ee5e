import {UnsupportedError} from '../../errors.js';

/**
 * Why `meshctl tap` cannot read a linkerd2-proxy directly. The proxy's admin port (4191)
 * has no tap endpoint; tap is a gRPC service on the control port (4190) that is enabled only
 * when `LINKERD2_PROXY_TAP_SVC_NAME` is set, and it answers UNAUTHENTICATED unless the
 * caller presents, over mTLS, the identity of the linkerd-viz tap service.
 */
export function linkerdTapUnsupported(proxy: string): UnsupportedError {
  return new UnsupportedError(
    `${proxy}: Linkerd proxies cannot be tapped through their admin port; live tap on port 4190 accepts only the linkerd-viz tap service's mTLS identity`,
    'use `meshctl top` (built from per-second metric deltas on Linkerd) or `linkerd viz tap`',
  );
}
