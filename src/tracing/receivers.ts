import {startGrpcReceiver, type GrpcReceiver} from './grpc/server.js';
import type {ReceiverOptions} from './intake.js';
import type {ListenAddress} from './listen-address.js';
import {hostPort, ListenError} from './listen-socket.js';
import {startReceiver, type Receiver} from './receiver.js';

export interface ReceiversPlan extends Omit<ReceiverOptions, 'host' | 'port'> {
  http: ListenAddress;
  /** `optional`: when its port is already in use, go on with OTLP/HTTP only. */
  grpc: {listen: ListenAddress; optional: boolean} | null;
}

export interface RunningReceivers {
  http: Receiver;
  grpc: GrpcReceiver | null;
  /** The startup lines naming every endpoint. */
  banner: string;
  close(): Promise<void>;
}

/**
 * Start OTLP/HTTP and, unless switched off, OTLP/gRPC, both feeding the same batch handlers,
 * as an OpenTelemetry Collector's otlp receiver does. `warn` gets one-line notices.
 */
export async function startReceivers(plan: ReceiversPlan, warn: (message: string) => void): Promise<RunningReceivers> {
  const {http: httpListen, grpc: grpcPlan, ...handlers} = plan;
  const http = await startReceiver({...handlers, host: httpListen.host, port: httpListen.port});
  let grpc: GrpcReceiver | null = null;
  if (grpcPlan) {
    try {
      grpc = await startGrpcReceiver({...handlers, host: grpcPlan.listen.host, port: grpcPlan.listen.port});
    } catch (error) {
      const skip = grpcPlan.optional && error instanceof ListenError && error.inUse;
      if (!skip) {
        await http.close();
        throw error;
      }
      const where = hostPort(grpcPlan.listen.host, grpcPlan.listen.port);
      warn(`${where} is already in use, so no OTLP/gRPC (another collector?); receiving OTLP/HTTP only (--grpc-listen picks another port)`);
    }
  }
  for (const [listen, on] of [[httpListen, true], [grpcPlan?.listen, grpc !== null]] as const) {
    if (on && listen && !listen.loopback) warn(`listening beyond loopback (${listen.host}): anyone who can reach this port can send spans`);
  }
  const lines = [`listening on ${http.url} (OTLP/HTTP, protobuf or JSON)`];
  if (grpc) lines.push(`listening on ${grpc.address} (OTLP/gRPC, TraceService/Export)`);
  return {
    http,
    grpc,
    banner: `${lines.join('\n')}; Ctrl-C to stop\n`,
    close: async () => {
      await Promise.all([http.close(), grpc?.close()]);
    },
  };
}
