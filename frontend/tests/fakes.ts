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

  readonly headers: Record<string, string> = {};

  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

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
  status: "needs-review",
  version: 1,
  uploadedBy: { sub: "u-rita", email: "rita@example.com" },
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

/** An unsigned JWT with these claims (the page never checks signatures; the API does). */
export function jwt(claims: Record<string, unknown>): string {
  const part = (value: object) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
      .replace(/=+$/, "")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
  return `${part({ alg: "none" })}.${part(claims)}.sig`;
}

export const AUTH = {
  mode: "cognito",
  region: "us-east-1",
  userPoolId: "us-east-1_test",
  clientId: "client-1",
  endpoint: "http://cognito.test/",
} as const;

interface FakeUser {
  password: string;
  groups?: string[];
  name?: string;
  /** FORCE_CHANGE_PASSWORD: the first sign-in must set a new password. */
  mustChangePassword?: boolean;
}

/**
 * Cognito's JSON API behind a fetch: InitiateAuth (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH),
 * RespondToAuthChallenge (NEW_PASSWORD_REQUIRED), RevokeToken, GlobalSignOut. Tokens live
 * `lifetimeMs` from Date.now() (fake timers move it).
 */
export class FakeCognito {
  readonly calls: { target: string; body: Record<string, unknown>; headers: Record<string, string> }[] = [];
  lifetimeMs = 3_600_000;
  /** Make every call fail as if the network were down. */
  offline = false;
  private issued = 0;
  private readonly refreshTokens = new Map<string, string>();

  constructor(readonly users: Record<string, FakeUser>) {}

  ops(): string[] {
    return this.calls.map((call) => call.target.replace("AWSCognitoIdentityProviderService.", ""));
  }

  private tokens(email: string, withRefresh: boolean) {
    const user = this.users[email]!;
    const n = ++this.issued;
    const claims = {
      sub: `sub-${email}`,
      email,
      name: user.name,
      "cognito:groups": user.groups,
      exp: Math.floor((Date.now() + this.lifetimeMs) / 1000),
      n,
    };
    const result: Record<string, unknown> = {
      IdToken: jwt({ ...claims, token_use: "id" }),
      AccessToken: jwt({ ...claims, token_use: "access" }),
      ExpiresIn: this.lifetimeMs / 1000,
      TokenType: "Bearer",
    };
    if (withRefresh) {
      const refresh = `refresh-${n}`;
      this.refreshTokens.set(refresh, email);
      result.RefreshToken = refresh;
    }
    return { AuthenticationResult: result };
  }

  /** Revokes every refresh token (e.g. an admin signed the user out). */
  revokeAll(): void {
    this.refreshTokens.clear();
  }

  handle(init: RequestInit): [number, unknown] {
    const headers = init.headers as Record<string, string>;
    const target = headers["X-Amz-Target"] ?? "";
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test double reading loose JSON
    const body = JSON.parse(String(init.body)) as Record<string, any>;
    this.calls.push({ target, body, headers });
    const error = (type: string, message: string): [number, unknown] => [400, { __type: type, message }];
    switch (target.replace("AWSCognitoIdentityProviderService.", "")) {
      case "InitiateAuth": {
        if (body.AuthFlow === "USER_PASSWORD_AUTH") {
          const { USERNAME: email, PASSWORD: password } = body.AuthParameters;
          const user = this.users[email];
          if (!user) return error("UserNotFoundException", "User does not exist.");
          if (user.password !== password) return error("NotAuthorizedException", "Incorrect username or password.");
          if (user.mustChangePassword) {
            return [200, { ChallengeName: "NEW_PASSWORD_REQUIRED", Session: `session-${email}`, ChallengeParameters: { USER_ID_FOR_SRP: email } }];
          }
          return [200, this.tokens(email, true)];
        }
        if (body.AuthFlow === "REFRESH_TOKEN_AUTH") {
          const email = this.refreshTokens.get(body.AuthParameters.REFRESH_TOKEN);
          if (!email) return error("NotAuthorizedException", "Refresh Token has been revoked");
          return [200, this.tokens(email, false)];
        }
        return error("InvalidParameterException", "bad flow");
      }
      case "RespondToAuthChallenge": {
        const { USERNAME: email, NEW_PASSWORD: password } = body.ChallengeResponses;
        if (body.Session !== `session-${email}`) return error("NotAuthorizedException", "Invalid session.");
        if (String(password).length < 8) {
          return error("InvalidPasswordException", "Password does not conform to policy: Password not long enough");
        }
        this.users[email] = { ...this.users[email]!, password, mustChangePassword: false };
        return [200, this.tokens(email, true)];
      }
      case "RevokeToken":
        this.refreshTokens.delete(body.Token);
        return [200, {}];
      case "GlobalSignOut":
        return [200, {}];
      default:
        return error("UnknownOperationException", target);
    }
  }

  /** A fetch for the Cognito endpoint alone. */
  readonly fetch = async (_input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    if (this.offline) throw new TypeError("Failed to fetch");
    const [status, body] = this.handle(init);
    return new Response(JSON.stringify(body), { status });
  };
}

/**
 * /config.json (with `auth`), the fake Cognito at AUTH.endpoint, and API routes; other URLs 404.
 * A route given as a function sees the request's headers.
 */
export function authFetch(
  config: Record<string, unknown>,
  cognito: FakeCognito,
  routes: Record<string, [number, unknown] | ((headers: Record<string, string>) => [number, unknown])> = {},
) {
  return async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    if (url === "/config.json") return new Response(JSON.stringify({ auth: AUTH, ...config }), { status: 200 });
    if (url === AUTH.endpoint) return cognito.fetch(input, init);
    const route = Object.entries(routes).find(([prefix]) => url.startsWith(prefix));
    if (route) {
      const answer = typeof route[1] === "function" ? route[1]((init.headers ?? {}) as Record<string, string>) : route[1];
      return new Response(JSON.stringify(answer[1]), { status: answer[0] });
    }
    return new Response(JSON.stringify({ error: "not found" }), { status: 404 });
  };
}
