import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";
import { resetSessionForTests } from "@/lib/auth/state";

afterEach(() => {
  cleanup();
  // Absent in the DOM-free (node environment) tests.
  globalThis.localStorage?.clear();
  globalThis.sessionStorage?.clear();
  resetSessionForTests();
});
