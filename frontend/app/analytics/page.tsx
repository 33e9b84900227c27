import type { Metadata } from "next";
import { Suspense } from "react";
import { Analytics } from "@/components/analytics/Analytics";

export const metadata: Metadata = { title: "Analytics" };

// useSearchParams needs a Suspense boundary in a static export: the id is only known in the browser.
export default function AnalyticsPage() {
  return (
    <Suspense fallback={<p>Loading analytics…</p>}>
      <Analytics />
    </Suspense>
  );
}
