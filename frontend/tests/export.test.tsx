// The export on the invoices page: the file itself (blob → object URL → <a download>), or for a
// large export the presigned URL, opened without the token.
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { InvoiceList } from "@/components/invoice/InvoiceList";
import { resetConfigForTests } from "@/lib/config";
import { dispositionFileName, downloadExport } from "@/lib/review";
import { SAMPLE_INVOICE } from "./fakes";

const CSV = "invoiceId,invoiceNumber,total\ninv-1,INV-0042,1234.5\n";
const LINK = { url: "https://bucket.s3.test/exports/x/invoices.csv?X-Amz-Signature=abc", expiresIn: 300, rows: 20_000, fileName: "invoices-big.csv" };

let exportAnswer: () => Response;
let requests: { url: string; headers: Record<string, string> }[];

beforeEach(() => {
  resetConfigForTests();
  requests = [];
  exportAnswer = () =>
    new Response(CSV, {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="invoices-20240101.csv"' },
    });
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://page.test");
    if (url.pathname === "/config.json") return Response.json({ apiUrl: "" });
    requests.push({ url: url.pathname + url.search, headers: (init.headers ?? {}) as Record<string, string> });
    if (url.pathname === "/api/export") return exportAnswer();
    if (url.pathname === "/api/invoices") {
      return Response.json({ items: [{ ...SAMPLE_INVOICE, status: "approved", measuredAccuracy: 80 }], nextCursor: null });
    }
    return Response.json({ error: "not found" }, { status: 404 });
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Records the links the page clicks (the download) instead of navigating. */
function captureClicks() {
  const clicks: { href: string; download: string }[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    clicks.push({ href: this.href, download: this.download });
  });
  return clicks;
}

describe("export", () => {
  it("downloads the CSV of the chosen range as a blob under the server's file name", async () => {
    const blobs: Blob[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return "blob:http://page.test/1";
    });
    const clicks = captureClicks();
    const user = userEvent.setup();
    render(<InvoiceList />);
    const form = screen.getByTestId("export");
    await user.type(within(form).getByTestId("export-from"), "2024-01-01");
    await user.type(within(form).getByTestId("export-to"), "2024-01-31");
    await user.selectOptions(within(form).getByTestId("export-status"), "approved");
    await user.click(within(form).getByTestId("export-csv"));

    await waitFor(() => expect(clicks).toEqual([{ href: "blob:http://page.test/1", download: "invoices-20240101.csv" }]));
    expect(await blobs[0]!.text()).toBe(CSV);
    const sent = requests.find((r) => r.url.startsWith("/api/export"))!;
    expect(sent.url).toBe("/api/export?format=csv&status=approved&from=2024-01-01&to=2024-01-31");
    expect(screen.getByTestId("export-message")).toHaveTextContent("Downloading invoices-20240101.csv.");
    expect(document.querySelector("a[download]")).toBeNull(); // the link is gone again
  });

  it("opens a large export's presigned URL directly, without fetching it with the token", async () => {
    exportAnswer = () => Response.json(LINK);
    const saveBlob = vi.fn();
    const openUrl = vi.fn();
    await expect(downloadExport({ format: "csv" }, { saveBlob, openUrl })).resolves.toBe("invoices-big.csv");
    expect(openUrl).toHaveBeenCalledWith(LINK.url, "invoices-big.csv");
    expect(saveBlob).not.toHaveBeenCalled();
    expect(requests.map((r) => r.url)).toEqual(["/api/export?format=csv"]); // S3 was not fetched by us
  });

  it("the page's button opens the link as a plain <a>", async () => {
    exportAnswer = () => Response.json(LINK);
    const clicks = captureClicks();
    const user = userEvent.setup();
    render(<InvoiceList />);
    await user.click(screen.getByTestId("export-json"));
    await waitFor(() => expect(clicks).toEqual([{ href: LINK.url, download: "invoices-big.csv" }]));
  });

  it("an inline JSON export is saved as a file, not taken for a link", async () => {
    exportAnswer = () =>
      new Response(JSON.stringify({ items: [{ invoiceId: "inv-1", status: "approved", version: 2, createdAt: null }] }), {
        headers: { "Content-Type": "application/json", "Content-Disposition": 'attachment; filename="invoices-1.json"' },
      });
    const saveBlob = vi.fn();
    const openUrl = vi.fn();
    await expect(downloadExport({ format: "json" }, { saveBlob, openUrl })).resolves.toBe("invoices-1.json");
    expect(openUrl).not.toHaveBeenCalled();
    expect(saveBlob.mock.calls[0]![1]).toBe("invoices-1.json");
  });

  it("shows the server's error", async () => {
    exportAnswer = () => Response.json({ error: "from is after to" }, { status: 400 });
    const user = userEvent.setup();
    render(<InvoiceList />);
    await user.click(screen.getByTestId("export-csv"));
    expect(await screen.findByRole("alert")).toHaveTextContent("from is after to");
  });

  it("reads the file name of a Content-Disposition header", () => {
    expect(dispositionFileName('attachment; filename="a b.csv"')).toBe("a b.csv");
    expect(dispositionFileName("attachment; filename=x.csv; filename*=UTF-8''r%C3%A9sum%C3%A9.csv")).toBe("résumé.csv");
    expect(dispositionFileName(null)).toBeNull();
  });
});

describe("the list", () => {
  it("shows each invoice's status, and the measured accuracy once approved", async () => {
    render(<InvoiceList />);
    const row = await screen.findByTestId("invoice-row");
    expect(within(row).getByTestId("status-badge")).toHaveTextContent("Approved");
    expect(row).toHaveTextContent("80% accurate (measured)");
  });
});
