"use client";

// Live together on one visualization: the topic `visualization:<id>` on the tab's one WebSocket
// (the widget's client, lib/liveChannel.ts), giving presence, the others' cursors, their
// parameter changes, and word when this person may no longer see it (unshared or deleted).

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useSharedConnected, useTopicMessages } from "../liveChannel";
import type { TopicMessage, TopicViewer } from "../realtime";
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

export type RemovedReason = "unshared" | "deleted";

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

export function useVisualizationLive(
  id: string | null,
  onParams: (update: ParamsUpdate) => void,
  onRemoved: (reason: RemovedReason) => void = () => {},
): LiveVisualization {
  const [viewers, setViewers] = useState<TopicViewer[]>([]);
  const [cursors, setCursors] = useState<Map<string, RemoteCursor>>(new Map());
  const connected = useSharedConnected();
  const topic = id ? `visualization:${id}` : null;
  const client = useTopicMessages(topic, (message) => {
    if (message.type === "presence") setViewers(message.viewers);
    else if (message.type === "params-update") onParams(message.data);
    else if (message.type === "visualization-removed") onRemoved(message.data.reason);
    if (message.type === "cursor" || message.type === "presence") {
      setCursors((current) => nextCursors(current, message, Date.now()));
    }
  });

  useEffect(() => {
    if (!client || !topic) return;
    const ager = setInterval(() => setCursors((current) => (current.size ? ageCursors(current, Date.now()) : current)), 1_000);
    return () => {
      clearInterval(ager);
      setViewers([]);
      setCursors(new Map());
    };
  }, [client, topic]);

  const cursorRef = useRef<Throttled<[number, number]> | null>(null);
  useEffect(() => {
    if (!client || !topic) return;
    const throttled = throttle((x: number, y: number) => {
      client.sendAction({ action: "cursor", topic, x, y });
    }, CURSOR_INTERVAL_MS);
    cursorRef.current = throttled;
    return () => {
      throttled.cancel();
      cursorRef.current = null;
    };
  }, [client, topic]);

  const cursorList = useMemo(() => [...cursors.values()], [cursors]);
  const send = useCallback((x: number, y: number) => cursorRef.current?.(x, y), []);
  return { connected, viewers, cursors: cursorList, sendCursor: send };
}
