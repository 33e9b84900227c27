// Shapes of the backend's JSON (see shared DESIGN.md). Missing fields are absent, never null.

export const FIELD_NAMES = [
  "invoiceNumber",
  "invoiceDate",
  "dueDate",
  "vendorName",
  "currency",
  "subtotal",
  "tax",
  "total",
] as const;

export type FieldName = (typeof FIELD_NAMES)[number];

export interface ExtractedField<T = string | number> {
  value: T;
  /** 0–1 */
  confidence: number;
}

export type InvoiceFields = Partial<Record<FieldName, ExtractedField>>;

export interface TextSegment {
  text: string;
  confidence: number;
  page: number;
  box?: number[];
}

/** An invoice as listed by `GET /api/invoices` (no text segments). */
export interface InvoiceSummary {
  invoiceId: string;
  status: string;
  /** epoch ms */
  createdAt: number;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  engine: string;
  pages: number;
  latencyMs: number;
  /** 0–100 */
  accuracy: number;
  fields: InvoiceFields;
  detectedText: string;
}

/** An invoice as returned by the upload and by `GET /api/invoices/<id>`. */
export interface InvoiceRecord extends InvoiceSummary {
  textSegments?: TextSegment[];
}

export interface InvoicePage {
  items: InvoiceSummary[];
  nextCursor: string | null;
}

export interface SeriesPoint {
  /** epoch ms, start of the minute */
  t: number;
  count: number;
  avgLatency: number;
  avgAccuracy: number;
  errors: number;
}

/** The `data` of a `metrics-update` frame: the last `windowSeconds` (60 s) of activity. */
export interface MetricsSnapshot {
  total: number;
  throughput: number;
  avgLatency: number;
  avgAccuracy: number;
  timestamp: number;
  p50Latency?: number;
  p95Latency?: number;
  errors?: number;
  windowSeconds?: number;
  series?: SeriesPoint[];
}
