// The public API of the realtime client: import from "@/lib/realtime", not from the modules.

export { Backoff, type BackoffOptions, backoffDelay } from "./backoff";
export {
  type ConnectionStatus,
  DEFAULTS,
  INITIAL_STATE,
  RealtimeClient,
  type RealtimeOptions,
  type RealtimeState,
  type SocketToken,
  withToken,
} from "./client";
export { type SocketFactory, type SocketLike, type VisibilitySource } from "./dom";
export {
  type ClientMessage,
  parseServerMessage,
  type ServerMessage,
  type TopicMessage,
  type TopicViewer,
} from "./protocol";
