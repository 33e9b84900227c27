import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { UploadPanel } from "@/components/upload/UploadPanel";
import { resetConfigForTests } from "@/lib/config";
import { refusalReason } from "@/lib/files";
import { CONCURRENCY, itemsToStart, uploadReducer } from "@/lib/uploadQueue";
import { FakeXhr, fakeFetch, SAMPLE_INVOICE } from "./fakes";

function file(name: string, size: number, type = "application/pdf"): File {
  return new File([new Uint8Array(size)], name, { type });
}

async function renderPanel(limits: { maxUploadBytes?: number; maxLargeUploadBytes?: number } = {}, routes = {}) {
  const config = { apiUrl: "http://api.test", maxUploadBytes: 1000, maxLargeUploadBytes: 1000, ...limits };
  const fetch = vi.fn(fakeFetch(config, routes));
  vi.stubGlobal("fetch", fetch);
  render(<UploadPanel />);
  // The size limit comes from /config.json: the larger of the two paths' limits.
  await screen.findByText(/up to \d+\.\d KB each/);
  return { user: userEvent.setup({ applyAccept: false }), fetch };
}

/** The requests the page made with fetch (not /config.json): [url, method, JSON body]. */
function apiCalls(fetch: ReturnType<typeof vi.fn>): [string, string, unknown][] {
  return fetch.mock.calls
    .filter(([url]) => String(url) !== "/config.json")
    .map(([url, init]) => [String(url), init?.method ?? "GET", init?.body ? JSON.parse(String(init.body)) : undefined]);
}

beforeEach(() => {
  resetConfigForTests();
  FakeXhr.instances = [];
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("refusalReason", () => {
  it("accepts a supported file within the limit", () => {
    expect(refusalReason(file("a.PDF", 10, ""), 100)).toBeNull();
    expect(refusalReason(file("scan", 10, "image/webp"), 100)).toBeNull();
  });

  it("refuses a file over the limit with both sizes", () => {
    expect(refusalReason(file("big.png", 4_600_000, "image/png"), 4_500_000)).toBe(
      "This file is 4.6 MB; the limit is 4.5 MB.",
    );
  });

  it("refuses an unsupported type and an empty file", () => {
    expect(refusalReason(file("notes.txt", 10, "text/plain"), 100)).toMatch(/not supported/);
    expect(refusalReason(file("empty.pdf", 0), 100)).toBe("This file is empty.");
  });
});

describe("upload queue", () => {
  it("runs at most CONCURRENCY uploads, oldest first", () => {
    const items = uploadReducer([], { type: "add", files: ["a", "b", "c"].map((n) => file(`${n}.pdf`, 1)), maxBytes: 10 });
    expect(itemsToStart(items).map((i) => i.file.name)).toEqual(["a.pdf", "b.pdf"].slice(0, CONCURRENCY));
    const started = itemsToStart(items).reduce((acc, i) => uploadReducer(acc, { type: "start", id: i.id }), items);
    expect(itemsToStart(started)).toEqual([]);
  });

  it("moves to processing once the whole body is sent", () => {
    const [item] = uploadReducer([], { type: "add", files: [file("a.pdf", 1)], maxBytes: 10 });
    const items = uploadReducer([item!], { type: "progress", id: item!.id, fraction: 1 });
    expect(items[0]).toMatchObject({ status: "processing", progress: 1 });
  });
});

describe("UploadPanel", () => {
  it("refuses a file over the size limit without sending it", async () => {
    const { user } = await renderPanel();
    await user.upload(screen.getByTestId("upload-input"), file("huge.pdf", 2000));
    const row = screen.getByTestId("upload-item");
    expect(row).toHaveAttribute("data-status", "refused");
    expect(within(row).getByTestId("upload-error")).toHaveTextContent("This file is 2.0 KB; the limit is 1.0 KB.");
    expect(FakeXhr.instances).toHaveLength(0);
  });

  it("shows real upload progress, then the result card", async () => {
    const { user } = await renderPanel();
    await user.upload(screen.getByTestId("upload-input"), file("acme.pdf", 500));
    await waitFor(() => expect(FakeXhr.instances).toHaveLength(1));
    const xhr = FakeXhr.latest();
    expect(xhr.method).toBe("POST");
    expect(xhr.url).toBe("http://api.test/api/invoices");
    expect((xhr.body?.get("file") as File).name).toBe("acme.pdf");

    act(() => xhr.progress(250, 500));
    const bar = screen.getByRole("progressbar", { name: "Upload of acme.pdf" });
    expect(bar).toHaveAttribute("aria-valuenow", "50");
    expect(screen.getByTestId("upload-status")).toHaveTextContent("Uploading 50%");

    act(() => xhr.progress(500, 500));
    expect(screen.getByTestId("upload-item")).toHaveAttribute("data-status", "processing");

    await act(async () => xhr.respond(200, SAMPLE_INVOICE));
    const card = await screen.findByTestId("result-card");
    expect(within(card).getByTestId("field-invoiceNumber")).toHaveTextContent("INV-0042");
    expect(within(card).getByTestId("field-vendorName")).toHaveTextContent("ACME GmbH");
    expect(within(card).getByTestId("field-total")).toHaveTextContent(/1,234\.50/);
    expect(within(card).getByTestId("field-total")).toHaveTextContent(/€/);
    expect(within(card).getByTestId("field-dueDate")).toHaveTextContent("Not found");
    expect(within(card).getByTestId("result-accuracy")).toHaveTextContent("91.5%");
    expect(within(card).getByTestId("result-latency")).toHaveTextContent("842 ms");
    expect(within(card).getByTestId("result-engine")).toHaveTextContent("rapidocr");
    expect(within(card).getByTestId("detected-text")).toHaveTextContent("Invoice INV-0042");
    expect(within(card).getByRole("link", { name: /View invoice details/ }).getAttribute("href")).toMatch(
      /^\/invoice\/?\?id=inv-1$/,
    );
    expect(screen.queryByRole("progressbar")).not.toBeInTheDocument();
  });

  it("shows the server's error message in plain words, without a retry for a refused file", async () => {
    const { user } = await renderPanel();
    await user.upload(screen.getByTestId("upload-input"), file("letter.pdf", 10));
    await waitFor(() => expect(FakeXhr.instances).toHaveLength(1));
    await act(async () => FakeXhr.latest().respond(422, { error: "No invoice fields could be found in this document." }));
    const row = screen.getByTestId("upload-item");
    expect(row).toHaveAttribute("data-status", "failed");
    expect(within(row).getByRole("alert")).toHaveTextContent("No invoice fields could be found in this document.");
    expect(within(row).queryByRole("button", { name: "Retry" })).not.toBeInTheDocument();
  });

  it("falls back to a plain message when the error has no body, and lets a busy server be retried", async () => {
    const { user } = await renderPanel();
    await user.upload(screen.getByTestId("upload-input"), file("a.pdf", 10));
    await waitFor(() => expect(FakeXhr.instances).toHaveLength(1));
    await act(async () => FakeXhr.latest().respond(503, "<html>Service Unavailable</html>"));
    expect(screen.getByTestId("upload-error")).toHaveTextContent("The service is busy. Please try again in a moment.");

    await user.click(screen.getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(FakeXhr.instances).toHaveLength(2));
    await act(async () => FakeXhr.latest().respond(200, SAMPLE_INVOICE));
    expect(await screen.findByTestId("result-card")).toBeInTheDocument();
  });

  it("reports an unreachable server", async () => {
    const { user } = await renderPanel();
    await user.upload(screen.getByTestId("upload-input"), file("a.pdf", 10));
    await waitFor(() => expect(FakeXhr.instances).toHaveLength(1));
    await act(async () => FakeXhr.latest().fail());
    expect(screen.getByTestId("upload-error")).toHaveTextContent(/Could not reach the server/);
  });

  it("takes several files at once, refusing only the bad one", async () => {
    const { user } = await renderPanel();
    await user.upload(screen.getByTestId("upload-input"), [
      file("one.pdf", 10),
      file("notes.txt", 10, "text/plain"),
      file("two.png", 10, "image/png"),
    ]);
    const rows = screen.getAllByTestId("upload-item");
    expect(rows.map((r) => r.getAttribute("data-status")).sort()).toEqual(["refused", "uploading", "uploading"]);
    await waitFor(() => expect(FakeXhr.instances).toHaveLength(2));
  });
});

describe("UploadPanel, files over the API's request limit", () => {
  const ticket = {
    uploadId: "0123abcd",
    url: "http://s3.test/invoice-uploads",
    fields: { key: "incoming/0123abcd", policy: "eyJ9", "x-amz-signature": "sig" },
    expiresIn: 600,
    maxBytes: 5000,
  };
  const limits = { maxUploadBytes: 1000, maxLargeUploadBytes: 5000 };

  it("goes to S3 with a presigned POST, with real progress, then shows the processed invoice", async () => {
    const { user, fetch } = await renderPanel(limits, {
      "http://api.test/api/uploads/0123abcd/process": [200, SAMPLE_INVOICE],
      "http://api.test/api/uploads": [200, ticket],
    });
    expect(screen.getByText(/up to 5\.0 KB each/)).toBeInTheDocument();
    await user.upload(screen.getByTestId("upload-input"), file("scan.pdf", 3000));

    // the API hands out the ticket; the file goes to S3, the signed fields first and the file last
    await waitFor(() => expect(FakeXhr.instances).toHaveLength(1));
    expect(apiCalls(fetch)).toEqual([["http://api.test/api/uploads", "POST", { fileName: "scan.pdf", size: 3000 }]]);
    const xhr = FakeXhr.latest();
    expect([xhr.method, xhr.url]).toEqual(["POST", "http://s3.test/invoice-uploads"]);
    expect([...xhr.body!.keys()]).toEqual(["key", "policy", "x-amz-signature", "file"]);
    expect(xhr.body!.get("key")).toBe("incoming/0123abcd");
    expect((xhr.body!.get("file") as File).name).toBe("scan.pdf");

    act(() => xhr.progress(1500, 3000));
    expect(screen.getByTestId("upload-status")).toHaveTextContent("Uploading 50%");
    act(() => xhr.progress(3000, 3000));
    expect(screen.getByTestId("upload-item")).toHaveAttribute("data-status", "processing");

    // S3 answers 204; then the API processes the stored file
    await act(async () => xhr.respond(204, ""));
    const card = await screen.findByTestId("result-card");
    expect(within(card).getByTestId("field-invoiceNumber")).toHaveTextContent("INV-0042");
    expect(apiCalls(fetch).at(-1)).toEqual(["http://api.test/api/uploads/0123abcd/process", "POST", {}]);
    expect(FakeXhr.instances).toHaveLength(1); // the file was sent once, to S3 only
  });

  it("keeps files within maxUploadBytes on the direct path", async () => {
    const { user, fetch } = await renderPanel(limits);
    await user.upload(screen.getByTestId("upload-input"), file("small.pdf", 1000));
    await waitFor(() => expect(FakeXhr.instances).toHaveLength(1));
    expect(FakeXhr.latest().url).toBe("http://api.test/api/invoices");
    expect(apiCalls(fetch)).toEqual([]);
  });

  it("refuses a file over the S3 limit before sending anything", async () => {
    const { user, fetch } = await renderPanel(limits);
    await user.upload(screen.getByTestId("upload-input"), file("huge.pdf", 6000));
    const row = screen.getByTestId("upload-item");
    expect(row).toHaveAttribute("data-status", "refused");
    expect(within(row).getByTestId("upload-error")).toHaveTextContent("This file is 6.0 KB; the limit is 5.0 KB.");
    expect(FakeXhr.instances).toHaveLength(0);
    expect(apiCalls(fetch)).toEqual([]);
  });

  it("shows S3's reason when it refuses the POST", async () => {
    const { user } = await renderPanel(limits, { "http://api.test/api/uploads": [200, ticket] });
    await user.upload(screen.getByTestId("upload-input"), file("scan.pdf", 3000));
    await waitFor(() => expect(FakeXhr.instances).toHaveLength(1));
    await act(async () =>
      FakeXhr.latest().respond(
        403,
        "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>",
      ),
    );
    const row = screen.getByTestId("upload-item");
    expect(row).toHaveAttribute("data-status", "failed");
    expect(within(row).getByTestId("upload-error")).toHaveTextContent(
      /^The upload to storage failed: Invalid according to Policy: Policy expired\.$/,
    );
  });

  it("shows the API's message when the ticket or the processing is refused", async () => {
    const { user } = await renderPanel(limits, {
      "http://api.test/api/uploads/0123abcd/process": [422, { error: "the document could not be processed" }],
      "http://api.test/api/uploads": [200, ticket],
    });
    await user.upload(screen.getByTestId("upload-input"), file("scan.pdf", 3000));
    await waitFor(() => expect(FakeXhr.instances).toHaveLength(1));
    await act(async () => FakeXhr.latest().respond(204, ""));
    expect(await screen.findByRole("alert")).toHaveTextContent("the document could not be processed");
    expect(screen.queryByRole("button", { name: "Retry" })).not.toBeInTheDocument();
  });

  it("lets a retry start over when the API could not hand out a ticket", async () => {
    const { user } = await renderPanel(limits, { "http://api.test/api/uploads": [503, { error: "uploads are unavailable" }] });
    await user.upload(screen.getByTestId("upload-input"), file("scan.pdf", 3000));
    expect(await screen.findByRole("alert")).toHaveTextContent("uploads are unavailable");
    expect(FakeXhr.instances).toHaveLength(0);
    expect(screen.getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });
});

describe("Dropzone", () => {
  it("takes dropped files", async () => {
    await renderPanel();
    const zone = screen.getByTestId("dropzone");
    const dropped = file("dropped.pdf", 10);
    const dataTransfer = { types: ["Files"], files: [dropped], dropEffect: "none" };
    fireEvent.dragOver(zone, { dataTransfer });
    expect(zone).toHaveAttribute("data-dragging", "true");
    fireEvent.drop(zone, { dataTransfer });
    expect(zone).toHaveAttribute("data-dragging", "false");
    expect(screen.getByTestId("upload-item")).toHaveAttribute("data-file-name", "dropped.pdf");
  });
});
