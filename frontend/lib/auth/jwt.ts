// Reads a JWT's claims. No signature check: the page only uses the claims to decide what to show
// and when to refresh; the API verifies every token it is sent.

export interface IdClaims {
  sub?: string;
  email?: string;
  name?: string;
  "cognito:groups"?: string[];
  /** Expiry, seconds since the epoch. */
  exp?: number;
}

/** The payload of a JWT, or null when `token` is not one. */
export function claimsOf(token: string): IdClaims | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const binary = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const json: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return json && typeof json === "object" ? (json as IdClaims) : null;
  } catch {
    return null;
  }
}

/** When the token expires, ms since the epoch; null when it carries no `exp`. */
export function expiresAt(token: string): number | null {
  const exp = claimsOf(token)?.exp;
  return typeof exp === "number" ? exp * 1000 : null;
}
