// Test doubles: a WebSocket driven by the test, and a switchable tab visibility.

import type { SocketLike, VisibilitySource } from "@/lib/realtime/dom";

export class FakeSocket implements SocketLike {
  static instances: FakeSocket[] = [];
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;

  onopen: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  readyState = FakeSocket.CONNECTING;
  readonly sent: unknown[] = [];
  closedWith: { code?: number; reason?: string } | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }

  static latest(): FakeSocket {
    const socket = FakeSocket.instances.at(-1);
    if (!socket) throw new Error("no socket was opened");
    return socket;
  }

  static reset(): void {
    FakeSocket.instances = [];
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = FakeSocket.CLOSED;
  }

  // Server side
  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.(new Event("open"));
  }

  receive(data: unknown): void {
    this.onmessage?.(new MessageEvent("message", { data }));
  }

  /** The connection fails or is dropped: error (if never opened) then close, as browsers do. */
  drop(): void {
    this.readyState = FakeSocket.CLOSED;
    this.onerror?.(new Event("error"));
    // Node (the DOM-free realtime tests) has no CloseEvent before v23.
    const close =
      typeof CloseEvent === "function"
        ? new CloseEvent("close", { code: 1006 })
        : (Object.assign(new Event("close"), { code: 1006 }) as CloseEvent);
    this.onclose?.(close);
  }
}

export function metricsFrame(data: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: "metrics-update",
    data: { total: 3, throughput: 0.05, avgLatency: 812.4, avgAccuracy: 93.5, timestamp: 1_700_000_000_000, ...data },
  });
}

export class FakeVisibility implements VisibilitySource {
  hidden = false;
  private readonly listeners = new Set<() => void>();

  isHidden(): boolean {
    return this.hidden;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(hidden: boolean): void {
    this.hidden = hidden;
    for (const listener of this.listeners) listener();
  }
}

/** Serves /config.json through a stubbed fetch; other URLs answer 404. */
export function fakeFetch(config: Record<string, unknown>, routes: Record<string, [number, unknown]> = {}) {
  return async (input: RequestInfo | URL) => {
    const url = String(input);
    if (url === "/config.json") return new Response(JSON.stringify(config), { status: 200 });
    const route = Object.entries(routes).find(([prefix]) => url.startsWith(prefix));
    if (route) return new Response(JSON.stringify(route[1][1]), { status: route[1][0] });
    return new Response(JSON.stringify({ error: "not found" }), { status: 404 });
  };
}

/** An XMLHttpRequest whose answer the test gives. */
export class FakeXhr {
  static instances: FakeXhr[] = [];
  upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = "";
  method = "";
  url = "";
  body: FormData | null = null;

  constructor() {
    FakeXhr.instances.push(this);
  }

  static latest(): FakeXhr {
    const xhr = FakeXhr.instances.at(-1);
    if (!xhr) throw new Error("no request was sent");
    return xhr;
  }

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(): void {}

  send(body: FormData): void {
    this.body = body;
  }

  abort(): void {
    this.onabort?.();
  }

  progress(loaded: number, total: number): void {
    this.upload.onprogress?.(new ProgressEvent("progress", { lengthComputable: true, loaded, total }));
  }

  respond(status: number, body: unknown): void {
    this.status = status;
    this.responseText = typeof body === "string" ? body : JSON.stringify(body);
    this.onload?.();
  }

  fail(): void {
    this.onerror?.();
  }
}

export const SAMPLE_INVOICE = {
  invoiceId: "inv-1",
  status: "processed",
  createdAt: 1_700_000_000_000,
  fileName: "acme.pdf",
  mediaType: "application/pdf",
  sizeBytes: 1234,
  engine: "rapidocr",
  pages: 1,
  latencyMs: 842,
  accuracy: 91.5,
  fields: {
    invoiceNumber: { value: "INV-0042", confidence: 0.97 },
    invoiceDate: { value: "2024-03-15", confidence: 0.9 },
    vendorName: { value: "ACME GmbH", confidence: 0.88 },
    currency: { value: "EUR", confidence: 0.99 },
    total: { value: 1234.5, confidence: 0.93 },
  },
  detectedText: "ACME GmbH\nInvoice INV-0042\nTotal 1.234,50 EUR",
  textSegments: [{ text: "ACME GmbH", confidence: 0.98, page: 1 }],
};
