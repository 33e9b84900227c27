// The review on the invoice page: corrections with If-Match, the server's 400 under its field,
// the 409 reconcile (re-apply, discard), approve / reject / re-open, roles, the timeline.
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { InvoiceDetail } from "@/components/invoice/InvoiceDetail";
import { describeChange } from "@/components/invoice/Timeline";
import { sessionStore } from "@/lib/auth/state";
import { resetConfigForTests } from "@/lib/config";
import type { HistoryEntry } from "@/lib/review";
import { authFetch, FakeCognito, SAMPLE_INVOICE } from "./fakes";

const search = vi.hoisted(() => ({ params: new URLSearchParams("id=inv-1") }));
vi.mock("next/navigation", () => ({ useSearchParams: () => search.params }));

type Invoice = Record<string, unknown> & { version: number; status: string; fields: Record<string, unknown> };
interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

const RITA = { sub: "u-rita", email: "rita@example.com" };

/**
 * A small in-memory API: GET/PATCH one invoice (If-Match checked, 400s naming the field, approved
 * locks the fields) and its history, newest first, two entries a page.
 */
class FakeApi {
  invoice: Invoice = structuredClone({ ...SAMPLE_INVOICE, version: 3 }) as Invoice;
  history: HistoryEntry[] = [];
  sent: Sent[] = [];
  /** Answer the next PATCH with this instead. */
  next: [number, unknown] | null = null;

  change(field: string, old: unknown, value: unknown, extra: Partial<HistoryEntry> = {}) {
    this.history.unshift({
      invoiceId: "inv-1",
      at: Date.now() - 120_000,
      version: this.invoice.version,
      by: RITA,
      field,
      old: old as HistoryEntry["old"],
      new: value as HistoryEntry["new"],
      ...extra,
    });
  }

  patch(version: number, body: { fields?: Record<string, unknown>; status?: string; reason?: string }): [number, unknown] {
    if (this.next) {
      const answer = this.next;
      this.next = null;
      return answer;
    }
    if (version !== this.invoice.version) {
      return [409, { error: `the invoice changed: it is at version ${this.invoice.version}, not ${version}`, current: this.invoice }];
    }
    const status = body.status ?? this.invoice.status;
    if (body.fields && status === "approved" && this.invoice.status === "approved") {
      return [409, { error: "the invoice is approved: re-open it (status needs-review) to correct fields" }];
    }
    for (const [name, value] of Object.entries(body.fields ?? {})) {
      if (typeof value === "number" && Math.round(value * 100) !== value * 100) return [400, { error: `${name}: at most 2 decimals` }];
      if (typeof value === "string" && ["total", "tax", "subtotal"].includes(name)) return [400, { error: `${name}: must be a number` }];
    }
    this.invoice = structuredClone(this.invoice);
    this.invoice.version += 1;
    for (const [name, value] of Object.entries(body.fields ?? {})) {
      const previous = this.invoice.fields[name] as { value: unknown } | undefined;
      this.change(name, previous?.value ?? null, value);
      if (value === null) delete this.invoice.fields[name];
      else this.invoice.fields[name] = { value, confidence: 1, source: "user", extracted: previous?.value ?? null };
    }
    if (status !== this.invoice.status) {
      this.change("status", this.invoice.status, status, body.reason ? { reason: body.reason } : {});
      this.invoice.status = status;
      if (status === "rejected") this.invoice.statusReason = body.reason;
      else delete this.invoice.statusReason;
      if (status === "needs-review") delete this.invoice.reviewedBy;
      else this.invoice.reviewedBy = RITA;
    }
    return [200, this.invoice];
  }

  /** Someone else saves a change meanwhile. */
  otherSave(fields: Record<string, unknown>, status?: string) {
    this.patch(this.invoice.version, { fields, status });
  }

  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), "http://page.test");
    const method = init.method ?? "GET";
    const headers = (init.headers ?? {}) as Record<string, string>;
    if (url.pathname === "/config.json") return Response.json({ apiUrl: "" });
    this.sent.push({ method, url: url.pathname + url.search, headers, body: init.body ? JSON.parse(String(init.body)) : undefined });
    if (url.pathname === "/api/invoices/inv-1" && method === "PATCH") {
      const [status, body] = this.patch(Number(headers["If-Match"]), JSON.parse(String(init.body)));
      return Response.json(body, { status });
    }
    if (url.pathname === "/api/invoices/inv-1") return Response.json(this.invoice);
    if (url.pathname === "/api/invoices/inv-1/history") {
      const start = Number(url.searchParams.get("cursor") ?? 0);
      const items = this.history.slice(start, start + 2);
      return Response.json({ items, nextCursor: start + 2 < this.history.length ? String(start + 2) : null });
    }
    return Response.json({ error: "not found" }, { status: 404 });
  };

  patches(): Sent[] {
    return this.sent.filter((s) => s.method === "PATCH");
  }
}

let api: FakeApi;

beforeEach(() => {
  resetConfigForTests();
  search.params = new URLSearchParams("id=inv-1");
  api = new FakeApi();
  vi.stubGlobal("fetch", api.fetch);
});

afterEach(() => vi.unstubAllGlobals());

async function renderDetail() {
  const user = userEvent.setup();
  render(<InvoiceDetail />);
  await screen.findByTestId("invoice-detail");
  return user;
}

async function editTotal(user: ReturnType<typeof userEvent.setup>, value: string) {
  await user.click(screen.getByTestId("edit-total"));
  const input = screen.getByTestId("input-total");
  expect(input).toHaveAttribute("type", "number");
  await user.clear(input);
  await user.type(input, value);
}

describe("corrections", () => {
  it("saves with the invoice's version as If-Match and marks the field corrected", async () => {
    const user = await renderDetail();
    expect(screen.getByTestId("status-badge")).toHaveTextContent("Needs review");
    expect(screen.getByTestId("save")).toBeDisabled();

    await editTotal(user, "123.45");
    await user.click(screen.getByTestId("edit-invoiceDate"));
    expect(screen.getByTestId("input-invoiceDate")).toHaveAttribute("type", "date");
    await user.click(screen.getByTestId("edit-vendorName"));
    expect(screen.getByTestId("input-vendorName")).toHaveAttribute("type", "text");
    await user.click(screen.getByTestId("cancel-vendorName")); // an edit can be undone
    await user.click(screen.getByTestId("clear-invoiceDate")); // and a field removed
    await user.click(screen.getByTestId("save"));

    await waitFor(() => expect(screen.getByTestId("field-total")).toHaveTextContent(/€123\.45/));
    const [patch] = api.patches();
    expect(patch!.headers["If-Match"]).toBe("3");
    expect(patch!.headers.Authorization).toBeUndefined(); // no sign-in configured in this test
    expect(patch!.body).toEqual({ fields: { total: 123.45, invoiceDate: null } });
    expect(screen.getByTestId("field-invoiceDate")).toHaveAttribute("data-missing", "true");
    expect(screen.getByTestId("corrected-total")).toHaveAttribute("title", expect.stringMatching(/found €1,234\.50/));
    expect(screen.queryByTestId("input-total")).not.toBeInTheDocument();
  });

  it("shows the server's 400 message under the field it names and keeps the edit", async () => {
    const user = await renderDetail();
    await editTotal(user, "12.345");
    await user.click(screen.getByTestId("save"));

    expect(await screen.findByTestId("field-error-total")).toHaveTextContent("total: at most 2 decimals");
    expect(screen.getByTestId("input-total")).toHaveValue(12.345);
    expect(screen.getByTestId("input-total")).toHaveAttribute("aria-invalid", "true");
    expect(api.invoice.version).toBe(3);
  });

  it("a non-field error goes to the page's alert", async () => {
    const user = await renderDetail();
    await editTotal(user, "5");
    api.next = [403, { error: "needs the reviewer role" }];
    await user.click(screen.getByTestId("save"));
    expect(await screen.findByTestId("review-error")).toHaveTextContent("needs the reviewer role");
  });
});

describe("a conflict (409)", () => {
  it("shows the current values beside the unsaved ones and re-applies them on the new version", async () => {
    const user = await renderDetail();
    await editTotal(user, "99.99");
    api.otherSave({ total: 1500, invoiceNumber: "INV-9" }); // version 4 now

    await user.click(screen.getByTestId("save"));

    const conflict = await screen.findByTestId("conflict");
    const rows = within(conflict).getAllByTestId("conflict-row");
    expect(rows.map((r) => r.dataset.field)).toEqual(["invoiceNumber", "total"]);
    const total = rows[1]!;
    expect(within(total).getByTestId("conflict-current")).toHaveTextContent(/€1,500\.00/);
    expect(within(total).getByTestId("conflict-mine")).toHaveTextContent("99.99");
    expect(within(rows[0]!).getByTestId("conflict-mine")).toHaveTextContent("(not edited)");
    expect(screen.queryByTestId("save")).not.toBeInTheDocument(); // nothing else until it is resolved

    await user.click(within(conflict).getByTestId("reapply"));

    await waitFor(() => expect(screen.queryByTestId("conflict")).not.toBeInTheDocument());
    expect(api.patches().map((p) => p.headers["If-Match"])).toEqual(["3", "4"]);
    expect(api.patches()[1]!.body).toEqual({ fields: { total: 99.99 } });
    expect(api.invoice.version).toBe(5);
    expect(screen.getByTestId("field-total")).toHaveTextContent(/€99\.99/);
    expect(screen.getByTestId("field-invoiceNumber")).toHaveTextContent("INV-9"); // theirs kept
  });

  it("discards the unsaved edits and shows the current invoice", async () => {
    const user = await renderDetail();
    await editTotal(user, "99.99");
    api.otherSave({ total: 1500 });
    await user.click(screen.getByTestId("save"));

    await user.click(within(await screen.findByTestId("conflict")).getByTestId("discard"));

    expect(screen.queryByTestId("conflict")).not.toBeInTheDocument();
    expect(screen.getByTestId("field-total")).toHaveTextContent(/€1,500\.00/);
    expect(screen.queryByTestId("input-total")).not.toBeInTheDocument();
    expect(api.patches()).toHaveLength(1); // never overwritten
    expect(api.invoice.version).toBe(4);
  });

  it("approved meanwhile (a 409 without `current`): fetches it, and re-applying re-opens it", async () => {
    const user = await renderDetail();
    await editTotal(user, "99.99");
    api.otherSave({}, "approved"); // version 4, approved
    api.next = [409, { error: "the invoice is approved: re-open it (status needs-review) to correct fields" }];
    await user.click(screen.getByTestId("save"));

    const conflict = await screen.findByTestId("conflict");
    expect(within(conflict).getAllByTestId("conflict-row")[0]).toHaveAttribute("data-field", "status");
    const reapply = within(conflict).getByTestId("reapply");
    expect(reapply).toHaveTextContent("Re-open and re-apply my edits");
    await user.click(reapply);

    await waitFor(() => expect(screen.queryByTestId("conflict")).not.toBeInTheDocument());
    expect(api.patches()[1]!.body).toEqual({ fields: { total: 99.99 }, status: "needs-review" });
    expect(api.patches()[1]!.headers["If-Match"]).toBe("4");
    expect(screen.getByTestId("status-badge")).toHaveTextContent("Needs review");
  });
});

describe("status", () => {
  it("approves, shows who did, locks the fields with a hint, and re-opens", async () => {
    const user = await renderDetail();
    await user.click(screen.getByTestId("approve"));

    await waitFor(() => expect(screen.getByTestId("status-badge")).toHaveTextContent("Approved"));
    expect(api.patches()[0]!.body).toEqual({ status: "approved" });
    expect(screen.getByTestId("reviewed-by")).toHaveTextContent("approved by rita@example.com");
    expect(screen.getByTestId("approved-hint")).toHaveTextContent(/Re-open it to correct/);
    expect(screen.queryByTestId("edit-total")).not.toBeInTheDocument();
    expect(screen.queryByTestId("save")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("reopen"));
    await waitFor(() => expect(screen.getByTestId("status-badge")).toHaveTextContent("Needs review"));
    expect(api.patches()[1]!).toMatchObject({ body: { status: "needs-review" }, headers: { "If-Match": "4" } });
    expect(screen.getByTestId("edit-total")).toBeInTheDocument();
  });

  it("saves pending edits with the approval, in one request", async () => {
    const user = await renderDetail();
    await editTotal(user, "10");
    expect(screen.getByTestId("approve")).toHaveTextContent("Save and approve");
    await user.click(screen.getByTestId("approve"));
    await waitFor(() => expect(screen.getByTestId("status-badge")).toHaveTextContent("Approved"));
    expect(api.patches().map((p) => p.body)).toEqual([{ fields: { total: 10 }, status: "approved" }]);
  });

  it("rejects with a reason, which the page then shows", async () => {
    const user = await renderDetail();
    await user.click(screen.getByTestId("reject"));
    expect(screen.getByTestId("confirm-reject")).toBeDisabled(); // a reason is required
    await user.type(screen.getByLabelText("Why is it rejected?"), "Duplicate of INV-0041");
    await user.click(screen.getByTestId("confirm-reject"));

    await waitFor(() => expect(screen.getByTestId("status-badge")).toHaveTextContent("Rejected"));
    expect(api.patches()[0]!.body).toEqual({ status: "rejected", reason: "Duplicate of INV-0041" });
    expect(screen.getByTestId("status-reason")).toHaveTextContent("Duplicate of INV-0041");
    expect(screen.getByTestId("reopen")).toBeInTheDocument();
    expect(screen.queryByTestId("approve")).not.toBeInTheDocument();
  });
});

describe("the timeline", () => {
  it("lists the changes newest first, loads more by cursor, and reloads after a save", async () => {
    api.invoice.version = 1;
    api.change("total", 93.5, 100);
    api.invoice.version = 2;
    api.change("dueDate", null, "2024-04-01");
    api.invoice.version = 3;
    api.change("status", "needs-review", "rejected", { reason: "Blurry scan" });
    const user = await renderDetail();

    const entries = () => screen.getAllByTestId("timeline-entry").map((e) => e.textContent);
    await waitFor(() => expect(entries()).toHaveLength(2));
    expect(entries()[0]).toBe("rita@example.com rejected the invoice: “Blurry scan” · 2 min ago");
    expect(entries()[1]).toMatch(/^rita@example\.com set Due date to Apr 1, 2024 · 2 min ago$/);
    await user.click(screen.getByTestId("timeline-more"));
    await waitFor(() => expect(entries()).toHaveLength(3));
    expect(entries()[2]).toMatch(/changed Total from 93\.50 to 100\.00/);
    expect(screen.queryByTestId("timeline-more")).not.toBeInTheDocument();
    expect(api.sent.filter((s) => s.url.includes("/history")).at(-1)!.url).toContain("cursor=2");

    await user.click(screen.getByTestId("approve"));
    await waitFor(() => expect(entries()[0]).toMatch(/^rita@example\.com approved the invoice · /));
  });

  it("describes every kind of change", () => {
    const entry = (field: string, old: unknown, value: unknown) =>
      ({ invoiceId: "i", at: 0, version: 2, by: RITA, field, old, new: value }) as HistoryEntry;
    expect(describeChange(entry("total", 93.5, 123.45))).toMatch(/^changed Total from 93\.50 to 123\.45$/);
    expect(describeChange(entry("vendorName", "ACME", null))).toBe("removed Vendor (was ACME)");
    expect(describeChange(entry("status", "needs-review", "approved"))).toBe("approved the invoice");
  });
});

describe("roles", () => {
  const CONFIG = { apiUrl: "http://api.test" };
  let cognito: FakeCognito;

  async function signInAs(email: string) {
    const store = await sessionStore();
    await store!.signIn(email, "Secret-123");
  }

  function serveAs(routes: Parameters<typeof authFetch>[2]) {
    cognito = new FakeCognito({
      "rita@example.com": { password: "Secret-123", groups: ["reviewer"], name: "Rita Reviewer" },
      "vic@example.com": { password: "Secret-123", groups: ["viewer"], name: "Vic Viewer" },
    });
    vi.stubGlobal("fetch", authFetch(CONFIG, cognito, routes));
  }

  it("a viewer sees the status and the history, but no edit controls", async () => {
    serveAs({
      "http://api.test/api/invoices/inv-1/history": [200, { items: [], nextCursor: null }],
      "http://api.test/api/invoices/inv-1": [200, { ...SAMPLE_INVOICE, status: "approved", reviewedBy: RITA }],
    });
    await signInAs("vic@example.com");
    render(<InvoiceDetail />);
    await screen.findByTestId("invoice-detail");
    expect(screen.getByTestId("status-badge")).toHaveTextContent("Approved");
    expect(await screen.findByTestId("timeline-empty")).toBeInTheDocument();
    for (const id of ["edit-total", "save", "approve", "reject", "reopen", "review-actions", "approved-hint"]) {
      expect(screen.queryByTestId(id)).not.toBeInTheDocument();
    }
  });

  it("a reviewer's own changes show their name; the PATCH carries the token", async () => {
    const history = {
      items: [
        { invoiceId: "inv-1", at: Date.now(), version: 2, by: { sub: "sub-rita@example.com", email: "rita@example.com" }, field: "total", old: 93.5, new: 123.45 },
      ],
      nextCursor: null,
    };
    const seen: Record<string, string>[] = [];
    serveAs({
      "http://api.test/api/invoices/inv-1/history": [200, history],
      "http://api.test/api/invoices/inv-1/pages": [200, { pages: [], expiresIn: 300 }],
      "http://api.test/api/invoices/inv-1": (headers) => {
        seen.push(headers);
        return [200, SAMPLE_INVOICE];
      },
    });
    await signInAs("rita@example.com");
    const user = userEvent.setup();
    render(<InvoiceDetail />);
    expect(await screen.findByTestId("timeline-entry")).toHaveTextContent(
      /^Rita Reviewer changed Total from 93\.50 to 123\.45 · just now$/,
    );
    await user.click(screen.getByTestId("approve"));
    await waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[1]!).toMatchObject({ "If-Match": "1", Authorization: expect.stringMatching(/^Bearer /) });
  });
});
