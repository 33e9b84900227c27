// Sign-in in the page: the route guard, the sign-in form, the header, role-based hiding, and the
// token on API calls (to the API only, never to S3).
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AuthGate, signInUrl } from "@/components/auth/AuthGate";
import { SignInForm, safeNext } from "@/components/auth/SignInForm";
import { SiteHeader } from "@/components/SiteHeader";
import { UploadPanel } from "@/components/upload/UploadPanel";
import { getInvoice, listInvoices, uploadInvoice } from "@/lib/api";
import { STORAGE_KEY } from "@/lib/auth/session";
import { sessionStore } from "@/lib/auth/state";
import { resetConfigForTests } from "@/lib/config";
import { authFetch, FakeCognito, FakeXhr, SAMPLE_INVOICE } from "../fakes";

const nav = vi.hoisted(() => ({
  pathname: "/",
  params: new URLSearchParams(),
  replace: vi.fn(),
}));
vi.mock("next/navigation", () => ({
  usePathname: () => nav.pathname,
  useRouter: () => ({ replace: nav.replace }),
  useSearchParams: () => nav.params,
}));

const CONFIG = { apiUrl: "http://api.test", maxUploadBytes: 1000, maxLargeUploadBytes: 10_000 };
let cognito: FakeCognito;

function serve(routes: Parameters<typeof authFetch>[2] = {}) {
  const fetch = vi.fn(authFetch(CONFIG, cognito, routes));
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

/** Signs in through the session store, as the sign-in page does. */
async function signInAs(email: string) {
  const store = await sessionStore();
  await store!.signIn(email, "Secret-123");
}

beforeEach(() => {
  resetConfigForTests();
  nav.pathname = "/";
  nav.params = new URLSearchParams();
  nav.replace.mockReset();
  cognito = new FakeCognito({
    "rita@example.com": { password: "Secret-123", groups: ["reviewer"], name: "Rita Review" },
    "vic@example.com": { password: "Secret-123", groups: ["viewer"], name: "Vic Viewer" },
    "new@example.com": { password: "Secret-123", mustChangePassword: true },
  });
  FakeXhr.instances = [];
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("route guard", () => {
  it("sends a page without a session to /signin/?next=<the page>", async () => {
    serve();
    nav.pathname = "/invoices/";
    window.history.replaceState(null, "", "/invoices/?q=acme");

    render(<AuthGate>secret page</AuthGate>);

    await waitFor(() => expect(nav.replace).toHaveBeenCalledWith("/signin/?next=%2Finvoices%2F%3Fq%3Dacme"));
    expect(screen.queryByText("secret page")).not.toBeInTheDocument();
  });

  it("shows the page with a session, and without sign-in at all", async () => {
    serve();
    await signInAs("vic@example.com");
    render(<AuthGate>secret page</AuthGate>);
    expect(screen.getByText("secret page")).toBeInTheDocument();
    expect(nav.replace).not.toHaveBeenCalled();
  });

  it("never guards the sign-in page itself", async () => {
    serve();
    nav.pathname = "/signin/";
    render(<AuthGate>the form</AuthGate>);
    await act(() => sessionStore());
    expect(screen.getByText("the form")).toBeInTheDocument();
    expect(nav.replace).not.toHaveBeenCalled();
  });

  it("goes only to paths on this site after sign-in", () => {
    expect(signInUrl("/invoice/?id=1")).toBe("/signin/?next=%2Finvoice%2F%3Fid%3D1");
    expect(safeNext("/invoice/?id=1")).toBe("/invoice/?id=1");
    expect(safeNext(null)).toBe("/");
    expect(safeNext("https://evil.test/")).toBe("/");
    expect(safeNext("//evil.test/")).toBe("/");
    expect(safeNext("/\\evil.test/")).toBe("/");
    expect(safeNext("/signin/")).toBe("/");
  });
});

describe("sign-in page", () => {
  it("signs in and goes to ?next", async () => {
    serve();
    nav.params = new URLSearchParams({ next: "/invoices/" });
    render(<SignInForm />);
    const user = userEvent.setup();

    await user.type(screen.getByLabelText("E-mail"), "rita@example.com");
    await user.type(screen.getByLabelText("Password"), "Secret-123");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    await waitFor(() => expect(nav.replace).toHaveBeenCalledWith("/invoices/"));
    expect(sessionStorage.getItem(STORAGE_KEY)).toBe("refresh-1");
  });

  it("shows a wrong password in the alert region", async () => {
    serve();
    render(<SignInForm />);
    const user = userEvent.setup();

    await user.type(screen.getByLabelText("E-mail"), "rita@example.com");
    await user.type(screen.getByLabelText("Password"), "nope");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Incorrect e-mail or password.");
    expect(nav.replace).not.toHaveBeenCalled();
  });

  it("asks a user created by an admin for a new password", async () => {
    serve();
    render(<SignInForm />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("E-mail"), "new@example.com");
    await user.type(screen.getByLabelText("Password"), "Secret-123");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    await user.type(await screen.findByLabelText("New password"), "Fresh-pass-1");
    await user.type(screen.getByLabelText("New password, again"), "Fresh-pass-2");
    await user.click(screen.getByRole("button", { name: "Set password and sign in" }));
    expect(screen.getByRole("alert")).toHaveTextContent("The two new passwords differ.");

    await user.clear(screen.getByLabelText("New password, again"));
    await user.type(screen.getByLabelText("New password, again"), "Fresh-pass-1");
    await user.click(screen.getByRole("button", { name: "Set password and sign in" }));

    await waitFor(() => expect(nav.replace).toHaveBeenCalledWith("/"));
    expect(cognito.ops()).toEqual(["InitiateAuth", "RespondToAuthChallenge"]);
  });

  it("says why the session ended", async () => {
    serve();
    await signInAs("rita@example.com");
    (await sessionStore())!.expire();
    render(<SignInForm />);
    expect(screen.getByRole("alert")).toHaveTextContent("Your session has expired. Please sign in again.");
  });
});

describe("roles", () => {
  it("a viewer gets no dropzone and no Upload link, but a note; the header shows name and role", async () => {
    serve();
    await signInAs("vic@example.com");

    render(
      <>
        <SiteHeader />
        <UploadPanel />
      </>,
    );

    expect(screen.getByTestId("upload-not-allowed")).toHaveTextContent("Uploading needs the reviewer role");
    expect(screen.queryByTestId("dropzone")).not.toBeInTheDocument();
    expect(screen.queryByTestId("upload-input")).not.toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).queryByRole("link", { name: "Upload" })).not.toBeInTheDocument();
    expect(within(nav).getByRole("link", { name: "Invoices" })).toBeInTheDocument();
    expect(await screen.findByTestId("user-name")).toHaveTextContent("Vic Viewer");
    expect(screen.getByTestId("user-role")).toHaveTextContent("viewer");
  });

  it("a reviewer gets the dropzone and the Upload link", async () => {
    serve();
    await signInAs("rita@example.com");

    render(
      <>
        <SiteHeader />
        <UploadPanel />
      </>,
    );

    expect(await screen.findByTestId("dropzone")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Upload" })).toBeInTheDocument();
    expect(await screen.findByTestId("user-role")).toHaveTextContent("reviewer");
  });

  it("signing out clears the session and the header", async () => {
    serve();
    await signInAs("rita@example.com");
    render(<SiteHeader />);
    const user = userEvent.setup();

    await user.click(await screen.findByRole("button", { name: "Sign out" }));

    await waitFor(() => expect(screen.queryByTestId("account")).not.toBeInTheDocument());
    expect(sessionStorage.getItem(STORAGE_KEY)).toBeNull();
    await waitFor(() => expect(cognito.ops()).toContain("RevokeToken"));
  });

  it("without sign-in (no auth in config.json) everything shows, as before", async () => {
    vi.stubGlobal("fetch", vi.fn(async (url: string) => new Response(JSON.stringify(url === "/config.json" ? CONFIG : {}))));
    render(
      <>
        <SiteHeader />
        <UploadPanel />
      </>,
    );
    expect(await screen.findByTestId("dropzone")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Upload" })).toBeInTheDocument();
    expect(screen.queryByTestId("account")).not.toBeInTheDocument();
  });
});

describe("API calls", () => {
  const bearer = (headers: Record<string, string>) => headers.Authorization;

  it("send the id token as a bearer token", async () => {
    const seen: (string | undefined)[] = [];
    serve({ "http://api.test/api/invoices": (headers) => (seen.push(bearer(headers)), [200, { items: [], nextCursor: null }]) });
    await signInAs("rita@example.com");

    await listInvoices();

    expect(seen[0]).toMatch(/^Bearer ey/);
  });

  it("refresh once on 401 and retry; a second 401 ends the session", async () => {
    const seen: (string | undefined)[] = [];
    serve({ "http://api.test/api/invoices/": (headers) => (seen.push(bearer(headers)), [401, { error: "token expired" }]) });
    await signInAs("rita@example.com");

    await expect(getInvoice("inv-1")).rejects.toMatchObject({ status: 401 });

    expect(seen).toHaveLength(2);
    expect(seen[1]).not.toBe(seen[0]);
    expect((await sessionStore())!.getState()).toMatchObject({ status: "signed-out" });
    // Without a session nothing more is sent.
    await expect(getInvoice("inv-1")).rejects.toMatchObject({ status: 401, message: "Please sign in to continue." });
    expect(seen).toHaveLength(2);
  });

  it("show the server's error on 403", async () => {
    serve({ "http://api.test/api/invoices": [403, { error: "needs the reviewer role" }] });
    await signInAs("vic@example.com");
    await expect(listInvoices()).rejects.toMatchObject({ status: 403, message: "needs the reviewer role" });
  });

  it("upload with the token to the API, but never send it to S3", async () => {
    const ticket = { uploadId: "u1", url: "http://s3.test/bucket", fields: { key: "incoming/u1" } };
    const seen: Record<string, string | undefined> = {};
    serve({
      "http://api.test/api/uploads/u1/process": (headers) => ((seen.process = bearer(headers)), [200, SAMPLE_INVOICE]),
      "http://api.test/api/uploads": (headers) => ((seen.ticket = bearer(headers)), [200, ticket]),
    });
    await signInAs("rita@example.com");

    // small file: one XHR to the API, with the token
    const small = uploadInvoice(new File([new Uint8Array(10)], "a.pdf", { type: "application/pdf" }));
    await waitFor(() => expect(FakeXhr.instances).toHaveLength(1));
    expect(FakeXhr.latest().url).toBe("http://api.test/api/invoices");
    expect(FakeXhr.latest().headers.Authorization).toMatch(/^Bearer ey/);
    FakeXhr.latest().respond(200, SAMPLE_INVOICE);
    await small;

    // large file: ticket and process with the token; the POST to S3 without
    const large = uploadInvoice(new File([new Uint8Array(5000)], "big.pdf", { type: "application/pdf" }));
    await waitFor(() => expect(FakeXhr.instances).toHaveLength(2));
    expect(FakeXhr.latest().url).toBe("http://s3.test/bucket");
    expect(FakeXhr.latest().headers).toEqual({});
    FakeXhr.latest().respond(204, "");
    await large;
    expect(seen.ticket).toMatch(/^Bearer ey/);
    expect(seen.process).toMatch(/^Bearer ey/);
  });
});
