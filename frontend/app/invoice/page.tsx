import type { Metadata } from "next";
import { Suspense } from "react";
import { InvoiceDetail } from "@/components/invoice/InvoiceDetail";

export const metadata: Metadata = { title: "Invoice" };

// useSearchParams needs a Suspense boundary in a static export: the id is only known in the browser.
export default function InvoicePage() {
  return (
    <Suspense fallback={<p>Loading invoice…</p>}>
      <InvoiceDetail />
    </Suspense>
  );
}
