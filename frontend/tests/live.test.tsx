// The invoice page live: presence avatars, invoice-updated without a reload (unsaved edits kept,
// then the 409 reconcile), the document view with its boxes, selection and zoom; the list merge.
import { act, createEvent, fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { InvoiceDetail } from "@/components/invoice/InvoiceDetail";
import { mergeFirstPage } from "@/components/invoice/InvoiceList";
import { resetConfigForTests } from "@/lib/config";
import { setSharedClient } from "@/lib/liveChannel";
import { RealtimeClient } from "@/lib/realtime/client";
import type { InvoiceSummary } from "@/lib/types";
import { FakeSocket, FakeVisibility, SAMPLE_INVOICE } from "./fakes";

const search = vi.hoisted(() => ({ params: new URLSearchParams("id=inv-1") }));
vi.mock("next/navigation", () => ({ useSearchParams: () => search.params }));

type Invoice = Omit<typeof SAMPLE_INVOICE, "fields"> & { version: number; fields: Record<string, unknown> };

let invoice: Invoice;
let patches: { version: string; body: unknown }[];
let client: RealtimeClient;
let socket: FakeSocket;

const OTTO = { sub: "u-otto", name: "Otto Other", initials: "OO", editing: null };

beforeEach(() => {
  resetConfigForTests();
  Element.prototype.scrollIntoView = vi.fn();
  invoice = structuredClone({
    ...SAMPLE_INVOICE,
    version: 1,
    fields: { ...SAMPLE_INVOICE.fields, total: { value: 1234.5, confidence: 0.93, page: 1, box: [0.7, 0.8, 0.9, 0.82] } },
  }) as Invoice;
  patches = [];
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://page.test");
    if (url.pathname === "/config.json") return Response.json({ apiUrl: "" });
    if (url.pathname === "/api/invoices/inv-1/pages") {
      return Response.json({ pages: [{ page: 1, url: "http://s3.test/1.webp", width: 1131, height: 1600 }], expiresIn: 300 });
    }
    if (url.pathname === "/api/invoices/inv-1/history") return Response.json({ items: [], nextCursor: null });
    if (url.pathname === "/api/invoices/inv-1" && init.method === "PATCH") {
      const headers = init.headers as Record<string, string>;
      patches.push({ version: headers["If-Match"]!, body: JSON.parse(String(init.body)) });
      if (Number(headers["If-Match"]) !== invoice.version) {
        return Response.json({ error: "the invoice changed", current: invoice }, { status: 409 });
      }
      return Response.json(invoice);
    }
    if (url.pathname === "/api/invoices/inv-1") return Response.json(invoice);
    return Response.json({ error: "not found" }, { status: 404 });
  });
  FakeSocket.reset();
  client = new RealtimeClient({ url: "ws://x/ws", createSocket: (u) => new FakeSocket(u), visibility: new FakeVisibility() });
  client.start();
  socket = FakeSocket.latest();
  socket.open();
  setSharedClient(client);
});

afterEach(() => {
  act(() => setSharedClient(null));
  client.stop();
  vi.unstubAllGlobals();
});

/** Someone else saved: the server has a new version, and the stream tells the page. */
function otherSaves(total: number, status = "needs-review") {
  invoice = structuredClone({ ...invoice, version: invoice.version + 1, status, lastChangedBy: { sub: "u-otto", email: "otto@example.com" } });
  invoice.fields.total = { value: total, confidence: 1, source: "user", extracted: 1234.5, page: 1, box: [0.7, 0.8, 0.9, 0.82] };
  act(() =>
    socket.receive(
      JSON.stringify({
        type: "invoice-updated",
        data: { invoiceId: "inv-1", version: invoice.version, changes: [{ field: "total", old: 1234.5, new: total }], status, by: null },
      }),
    ),
  );
}

async function renderDetail() {
  const user = userEvent.setup();
  render(<InvoiceDetail />);
  await screen.findByTestId("invoice-detail");
  return user;
}

describe("the invoice page, live", () => {
  it("subscribes to the invoice's topic and shows the other viewers as avatars", async () => {
    await renderDetail();
    await waitFor(() => expect(socket.sent).toContainEqual({ action: "subscribe", topic: "invoice:inv-1" }));
    expect(screen.getByTestId("presence-label")).toHaveTextContent("Nobody else");

    act(() => socket.receive(JSON.stringify({ type: "presence", topic: "invoice:inv-1", viewers: [{ ...OTTO, editing: "total" }] })));

    const avatar = (await screen.findAllByTestId("avatar"))[0]!;
    expect(avatar).toHaveTextContent("OO");
    expect(avatar).toHaveAttribute("title", "Otto Other — editing Total");
    expect(screen.getByTestId("presence-label")).toHaveTextContent("Otto Other is also looking at this invoice");
    expect(screen.getByTestId("editing-total")).toBeInTheDocument(); // the field they edit is marked
    act(() => socket.receive(JSON.stringify({ type: "presence", topic: "invoice:other", viewers: [] }))); // another topic
    expect(screen.getAllByTestId("avatar").length).toBeGreaterThan(0);
  });

  it("an update from someone else shows the new total and status without a reload", async () => {
    await renderDetail();
    expect(screen.getByTestId("field-total")).toHaveTextContent(/1,234\.50/);

    otherSaves(99, "approved");

    await waitFor(() => expect(screen.getByTestId("field-total")).toHaveTextContent(/99\.00/));
    expect(screen.getByTestId("status-badge")).toHaveTextContent("Approved");
    // An older or repeated update (delivery is at least once) changes nothing.
    act(() =>
      socket.receive(JSON.stringify({ type: "invoice-updated", data: { invoiceId: "inv-1", version: 1, changes: [], status: "needs-review", by: null } })),
    );
    expect(screen.getByTestId("status-badge")).toHaveTextContent("Approved");
  });

  it("unsaved edits are kept, the change is shown, and saving goes through the 409 reconcile", async () => {
    const user = await renderDetail();
    await user.click(screen.getByTestId("edit-total"));
    await user.clear(screen.getByTestId("input-total"));
    await user.type(screen.getByTestId("input-total"), "50");
    expect(socket.sent).toContainEqual({ action: "focus", topic: "invoice:inv-1", field: "total" });

    otherSaves(77);

    expect(await screen.findByTestId("changed-meanwhile")).toHaveTextContent("otto@example.com changed this invoice");
    expect(screen.getByTestId("input-total")).toHaveValue(50);
    await user.click(screen.getByTestId("save"));
    expect(patches).toEqual([{ version: "1", body: { fields: { total: 50 } } }]); // the version they edited
    expect(await screen.findByTestId("conflict")).toBeInTheDocument();
  });

  it("draws the field boxes over the page; selecting a field highlights its box; zoom buttons", async () => {
    const user = await renderDetail();
    const page = await screen.findByRole("img", { name: "Page 1 of the invoice" });
    expect(page).toHaveAttribute("src", "http://s3.test/1.webp");
    const box = screen.getByTestId("box-total");
    expect(box).toHaveAttribute("x", String(0.7 - 0.004));
    expect(box).not.toHaveAttribute("data-selected");

    await user.click(screen.getByTestId("locate-total"));
    expect(screen.getByTestId("box-total")).toHaveAttribute("data-selected", "true");
    expect(screen.getByTestId("field-row-total")).toHaveAttribute("data-selected", "true");
    expect(Element.prototype.scrollIntoView).toHaveBeenCalled();

    expect(screen.getByTestId("zoom-level")).toHaveTextContent("100 %");
    await user.click(screen.getByTestId("zoom-in"));
    expect(screen.getByTestId("zoom-level")).toHaveTextContent("125 %");
    // (jsdom's WheelEvent drops the modifier keys of its init: set ctrlKey on the event itself)
    const pages = screen.getByTestId("document-pages");
    const wheel = createEvent.wheel(pages, { deltaY: 100 });
    Object.defineProperty(wheel, "ctrlKey", { value: true });
    fireEvent(pages, wheel);
    expect(wheel.defaultPrevented).toBe(true); // the browser does not zoom the whole page
    expect(screen.getByTestId("zoom-level")).toHaveTextContent("100 %");
    fireEvent.wheel(screen.getByTestId("document-pages"), { deltaY: -100 }); // a plain wheel scrolls
    expect(screen.getByTestId("zoom-level")).toHaveTextContent("100 %");
  });
});

describe("the list, live", () => {
  it("puts new invoices on top and replaces known ones", () => {
    const row = (id: string, version = 1) => ({ ...SAMPLE_INVOICE, invoiceId: id, version }) as InvoiceSummary;
    const merged = mergeFirstPage([row("b"), row("a")], [row("c"), row("b", 2)]);
    expect(merged.map((i) => `${i.invoiceId}@${i.version}`)).toEqual(["c@1", "b@2", "a@1"]);
  });
});
