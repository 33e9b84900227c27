import type { Metadata } from "next";
import { InvoiceList } from "@/components/invoice/InvoiceList";

export const metadata: Metadata = { title: "Invoices" };

export default function InvoicesPage() {
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Invoices</h1>
      <InvoiceList />
    </div>
  );
}
