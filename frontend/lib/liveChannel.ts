"use client";

// The page's way onto the one WebSocket of the tab: the widget's client (lib/useLiveMetrics.ts)
// registers itself here, and pages join topics and read messages through it instead of opening
// a second connection. Until the client exists (its chunk loads on mount), joins wait for it.

import { useEffect, useRef, useSyncExternalStore } from "react";
import type { RealtimeClient, ServerMessage, TopicMessage } from "./realtime";

let shared: RealtimeClient | null = null;
const watchers = new Set<() => void>();

/** Called by useLiveMetrics with its client once started, and with null when it stops. */
export function setSharedClient(client: RealtimeClient | null): void {
  shared = client;
  for (const watcher of watchers) watcher();
}

function watch(watcher: () => void): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}

export function useSharedClient(): RealtimeClient | null {
  return useSyncExternalStore(
    watch,
    () => shared,
    () => null,
  );
}

/** The latest `value` in a ref, so effects can call it without re-running when it changes. */
function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useEffect(() => {
    ref.current = value;
  });
  return ref;
}

/**
 * Joins `topic` (null: none) on the shared connection while mounted and hands every server message
 * to `onMessage` (the latest one passed: no resubscription when it changes).
 */
export function useTopic(topic: string | null, onMessage: (message: ServerMessage) => void): RealtimeClient | null {
  const client = useSharedClient();
  const handler = useLatest(onMessage);
  useEffect(() => {
    if (!client || !topic) return;
    const stopListening = client.onMessage((message) => handler.current(message));
    const leave = client.joinTopic(topic);
    return () => {
      leave();
      stopListening();
    };
  }, [client, topic, handler]);
  return client;
}

/**
 * Like useTopic, but hands over only the topic's own messages (presence, cursors, params-update,
 * visualization-removed), through the client's watchTopic.
 */
export function useTopicMessages(topic: string | null, onMessage: (message: TopicMessage) => void): RealtimeClient | null {
  const client = useSharedClient();
  const handler = useLatest(onMessage);
  useEffect(() => {
    if (!client || !topic) return;
    return client.watchTopic(topic, (message) => handler.current(message));
  }, [client, topic, handler]);
  return client;
}

const noClient = () => () => {};

/** Whether the shared connection is open now (false without a client). */
export function useSharedConnected(): boolean {
  const client = useSharedClient();
  return useSyncExternalStore(
    client?.subscribe ?? noClient,
    () => client?.getState().status === "connected",
    () => false,
  );
}
