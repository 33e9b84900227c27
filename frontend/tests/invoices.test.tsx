import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { InvoiceDetail } from "@/components/invoice/InvoiceDetail";
import { InvoiceList } from "@/components/invoice/InvoiceList";
import { resetConfigForTests } from "@/lib/config";
import { SAMPLE_INVOICE } from "./fakes";

const search = vi.hoisted(() => ({ params: new URLSearchParams() }));
vi.mock("next/navigation", () => ({ useSearchParams: () => search.params }));

function invoice(n: number) {
  return {
    ...SAMPLE_INVOICE,
    invoiceId: `inv-${n}`,
    fields: { ...SAMPLE_INVOICE.fields, vendorName: { value: `Vendor ${n}`, confidence: 0.9 } },
  };
}

/** A fake API: GET /api/invoices pages by cursor and filters by vendor name. */
function fakeApi() {
  const all = [3, 2, 1].map(invoice);
  return vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input), "http://page.test");
    if (url.pathname === "/config.json") return Response.json({ apiUrl: "" });
    if (url.pathname === "/api/invoices") {
      const q = url.searchParams.get("q")?.toLowerCase() ?? "";
      const matching = all.filter((i) => i.fields.vendorName.value.toLowerCase().includes(q));
      const start = Number(url.searchParams.get("cursor") ?? 0);
      const items = matching.slice(start, start + 2);
      return Response.json({ items, nextCursor: start + 2 < matching.length ? String(start + 2) : null });
    }
    const found = all.find((i) => url.pathname === `/api/invoices/${i.invoiceId}`);
    return found ? Response.json(found) : Response.json({ error: "No invoice with this id." }, { status: 404 });
  });
}

beforeEach(() => {
  resetConfigForTests();
  vi.stubGlobal("fetch", fakeApi());
});

afterEach(() => vi.unstubAllGlobals());

function vendors(): string[] {
  return screen.getAllByTestId("invoice-row").map((row) => within(row).getByText(/^Vendor/).textContent ?? "");
}

describe("InvoiceList", () => {
  it("shows the newest first and loads more with the cursor", async () => {
    const user = userEvent.setup();
    render(<InvoiceList />);
    await waitFor(() => expect(vendors()).toEqual(["Vendor 3", "Vendor 2"]));
    await user.click(screen.getByTestId("load-more"));
    await waitFor(() => expect(vendors()).toEqual(["Vendor 3", "Vendor 2", "Vendor 1"]));
    expect(screen.queryByTestId("load-more")).not.toBeInTheDocument();
    expect(screen.getAllByTestId("invoice-row")[0]?.querySelector("a")?.getAttribute("href")).toMatch(/id=inv-3$/);
    expect(within(screen.getAllByTestId("invoice-row")[0]!).getByTestId("uploaded-by")).toHaveTextContent(
      "rita@example.com",
    );
  });

  it("filters with the API's q as the user types", async () => {
    const user = userEvent.setup();
    render(<InvoiceList />);
    await screen.findAllByTestId("invoice-row");
    await user.type(screen.getByTestId("invoice-search"), "vendor 1");
    await waitFor(() => expect(vendors()).toEqual(["Vendor 1"]));
    await user.clear(screen.getByTestId("invoice-search"));
    await user.type(screen.getByTestId("invoice-search"), "nobody{Enter}");
    expect(await screen.findByTestId("invoice-list-empty")).toHaveTextContent("No invoice matches “nobody”.");
  });
});

describe("InvoiceDetail", () => {
  it("shows every field and the detected text of ?id=", async () => {
    search.params = new URLSearchParams("id=inv-2");
    render(<InvoiceDetail />);
    const detail = await screen.findByTestId("invoice-detail");
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Vendor 2 · INV-0042");
    expect(within(detail).getByTestId("field-invoiceDate")).toHaveTextContent("Mar 15, 2024");
    expect(within(detail).getByTestId("field-total")).toHaveTextContent(/€1,234\.50/);
    expect(within(detail).getByTestId("detected-text")).toBeVisible();
    expect(within(detail).getByText("Text segments (1)")).toBeInTheDocument();
    expect(within(detail).getByTestId("uploaded-by")).toHaveTextContent("rita@example.com");
  });

  it("says so when the id is unknown", async () => {
    search.params = new URLSearchParams("id=missing");
    render(<InvoiceDetail />);
    expect(await screen.findByTestId("invoice-error")).toHaveTextContent("No invoice with this id.");
  });
});
