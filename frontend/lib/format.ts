// Display formatting. Numbers use the reader's locale; dates are calendar dates, so no time zone
// may shift them.

import type { ExtractedField, FieldName, InvoiceFields } from "./types";

export const FIELD_LABELS: Record<FieldName, string> = {
  invoiceNumber: "Invoice number",
  invoiceDate: "Invoice date",
  dueDate: "Due date",
  vendorName: "Vendor",
  currency: "Currency",
  subtotal: "Subtotal",
  tax: "Tax",
  total: "Total",
  documentType: "Document type",
  buyerName: "Buyer",
  vendorTaxId: "Vendor VAT / tax id",
  buyerTaxId: "Buyer VAT id",
  iban: "IBAN",
  bic: "BIC",
  purchaseOrder: "Purchase order",
  paymentTerms: "Payment terms",
};

const AMOUNT_FIELDS = new Set<FieldName>(["subtotal", "tax", "total"]);
const DATE_FIELDS = new Set<FieldName>(["invoiceDate", "dueDate"]);

export function formatAmount(value: number, currency?: string): string {
  if (currency) {
    try {
      return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(value);
    } catch {
      // Not an ISO 4217 code: show it as given.
    }
  }
  const number = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
  return currency ? `${number} ${currency}` : number;
}

/** `YYYY-MM-DD` as a readable date; anything else unchanged. */
export function formatDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" }).format(date);
}

export function formatDateTime(epochMs: number): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(epochMs);
}

/** The value of an extracted field, formatted for its kind (amounts carry the invoice currency). */
export function formatFieldValue(name: FieldName, field: ExtractedField, fields: InvoiceFields): string {
  const { value } = field;
  if (AMOUNT_FIELDS.has(name) && typeof value === "number") {
    const currency = fields.currency?.value;
    return formatAmount(value, typeof currency === "string" ? currency : undefined);
  }
  if (DATE_FIELDS.has(name) && typeof value === "string") return formatDate(value);
  return String(value);
}

export function formatLatency(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatPercent(value: number, digits = 1): string {
  return `${value.toFixed(digits)}%`;
}

export function formatThroughput(perSecond: number): string {
  return `${perSecond.toFixed(2)}/s`;
}

/** Decimal units, like the server's byte limit (4,500,000 bytes = 4.5 MB). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export function formatAge(seconds: number): string {
  if (seconds < 2) return "just now";
  if (seconds < 60) return `${Math.floor(seconds)} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${Math.floor(seconds / 3600)} h ago`;
}
