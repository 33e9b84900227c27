import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { AuthGate } from "@/components/auth/AuthGate";
import FloatingDashboard from "@/components/FloatingDashboard";
import { SiteHeader } from "@/components/SiteHeader";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Invoice reader", template: "%s · Invoice reader" },
  description: "Upload invoices, read their fields, and watch live processing metrics.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0f172a" },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900 focus:shadow"
        >
          Skip to content
        </a>
        <SiteHeader />
        {/* Bottom padding keeps the last controls scrollable clear of the floating widget. */}
        <main id="main" className="page-column pb-32 pt-6">
          <AuthGate>{children}</AuthGate>
        </main>
        <FloatingDashboard />
      </body>
    </html>
  );
}
