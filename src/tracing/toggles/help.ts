/** The semantics of `trace enable|disable`, shown in their --help. */
export const TOGGLE_HELP = `Envoy: enable writes tracing.random_sampling (the rate), tracing.global_enabled and
tracing.client_enabled (100) through POST /runtime_modify, and reads /runtime back to
confirm; values already in effect are not written again. disable deletes the admin-layer
overrides of those keys: the proxy goes back to what its bootstrap configures (Istio: 1 %
unless set otherwise), it does not force tracing off. Overrides last until the proxy restarts.
Requests that arrive with a sampled trace context are traced whatever the rate.
Linkerd: no runtime switch exists; enable and disable say how to configure a collector
(exit 4 when every proxy is Linkerd; 3 when some are, after changing the Envoy ones).`;
