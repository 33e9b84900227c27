"use client";

// Live together on one visualization: the topic `visualization:<id>` over the realtime client
// (its own connection on this page, loaded on demand like the widget's), giving presence, the
// others' cursors, and their parameter changes.

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { getSocketToken, useSession } from "../auth/state";
import type { RealtimeClient, TopicMessage, TopicViewer } from "../realtime";
import { useAppConfig } from "../useAppConfig";
import { type Throttled, throttle } from "./throttle";

/** The cap on cursor messages per connection (the server enforces it too). */
export const CURSOR_INTERVAL_MS = 50;
/** A cursor that has not moved this long fades out; it is dropped this much later again. */
export const CURSOR_IDLE_MS = 5_000;

export interface RemoteCursor {
  connectionId: string;
  sub: string | null;
  name: string;
  initials: string;
  x: number;
  y: number;
  at: number;
  idle: boolean;
}

export interface ParamsUpdate {
  parameters: Record<string, unknown>;
  version: number;
  by: unknown;
}

export interface LiveVisualization {
  connected: boolean;
  viewers: TopicViewer[];
  cursors: RemoteCursor[];
  /** Sends this page's cursor in chart (data) coordinates, at most 20 a second. */
  sendCursor: (x: number, y: number) => void;
}

const loadClient = () => import("../realtime/client").then((module) => module.RealtimeClient);

/** Applies a cursor message or presence to the cursors by connection; pure, for tests. */
export function nextCursors(
  cursors: ReadonlyMap<string, RemoteCursor>,
  message: TopicMessage,
  now: number,
): Map<string, RemoteCursor> {
  const next = new Map(cursors);
  if (message.type === "cursor") {
    const { connectionId, x, y, by } = message.data;
    next.set(connectionId || by.sub || by.name, { connectionId, sub: by.sub, name: by.name, initials: by.initials, x, y, at: now, idle: false });
  } else if (message.type === "presence") {
    // Someone who left takes their cursor along.
    const present = new Set(message.viewers.map((v) => v.sub ?? v.name));
    for (const [key, cursor] of next) if (!present.has(cursor.sub ?? cursor.name)) next.delete(key);
  }
  return next;
}

/** Marks cursors idle after CURSOR_IDLE_MS and drops them after twice that. */
export function ageCursors(cursors: ReadonlyMap<string, RemoteCursor>, now: number): Map<string, RemoteCursor> {
  const next = new Map<string, RemoteCursor>();
  for (const [key, cursor] of cursors) {
    const age = now - cursor.at;
    if (age >= 2 * CURSOR_IDLE_MS) continue;
    next.set(key, age >= CURSOR_IDLE_MS && !cursor.idle ? { ...cursor, idle: true } : cursor);
  }
  return next;
}

export function useVisualizationLive(id: string | null, onParams: (update: ParamsUpdate) => void): LiveVisualization {
  const config = useAppConfig();
  const { status } = useSession();
  const [Client, setClient] = useState<typeof RealtimeClient | null>(null);
  const [connected, setConnected] = useState(false);
  const [viewers, setViewers] = useState<TopicViewer[]>([]);
  const [cursors, setCursors] = useState<Map<string, RemoteCursor>>(new Map());
  const onParamsRef = useRef(onParams);
  useEffect(() => {
    onParamsRef.current = onParams;
  }, [onParams]);

  useEffect(() => {
    let mounted = true;
    void loadClient().then((loaded) => {
      if (mounted) setClient(() => loaded);
    });
    return () => {
      mounted = false;
    };
  }, []);

  const active = status === "signed-in" || status === "disabled";
  const client = useMemo(
    () =>
      Client && config && active
        ? new Client({
            url: config.wsUrl,
            heartbeatMs: config.wsHeartbeatMs,
            maxDelayMs: config.wsReconnectMaxMs,
            getToken: config.auth ? getSocketToken : undefined,
          })
        : null,
    [Client, config, active],
  );

  useEffect(() => {
    if (!client) return;
    const update = () => setConnected(client.getState().status === "connected");
    const stopListening = client.subscribe(update);
    client.start();
    return () => {
      stopListening();
      client.stop();
    };
  }, [client]);

  useEffect(() => {
    if (!client || !id) return;
    const topic = `visualization:${id}`;
    const stop = client.watchTopic(topic, (message) => {
      if (message.type === "presence") setViewers(message.viewers);
      else if (message.type === "params-update") onParamsRef.current(message.data);
      if (message.type === "cursor" || message.type === "presence") {
        setCursors((current) => nextCursors(current, message, Date.now()));
      }
    });
    const ager = setInterval(() => setCursors((current) => (current.size ? ageCursors(current, Date.now()) : current)), 1_000);
    return () => {
      stop();
      clearInterval(ager);
      setViewers([]);
      setCursors(new Map());
    };
  }, [client, id]);

  const cursorRef = useRef<Throttled<[number, number]> | null>(null);
  useEffect(() => {
    if (!client || !id) return;
    const topic = `visualization:${id}`;
    const throttled = throttle((x: number, y: number) => {
      client.sendAction({ action: "cursor", topic, x, y });
    }, CURSOR_INTERVAL_MS);
    cursorRef.current = throttled;
    return () => {
      throttled.cancel();
      cursorRef.current = null;
    };
  }, [client, id]);

  const cursorList = useMemo(() => [...cursors.values()], [cursors]);
  const send = useCallback((x: number, y: number) => cursorRef.current?.(x, y), []);
  return { connected, viewers, cursors: cursorList, sendCursor: send };
}
