// Generated from docs/contract/api.schema.json by `npm run contract` (json-schema-to-typescript).
// Do not edit: change the schema and regenerate; `npm run lint` fails when this file is stale.

/**
 * The JSON the invoice app exchanges: HTTP bodies, WebSocket messages and the frontend's /config.json. Every shape is a `$defs` entry; the root only lists them. Objects are open: keys may be added (additive changes only), so a client must ignore keys it does not know. A key that is absent is absent, never null (except `nextCursor`). tests/contract checks that the running app sends nothing undocumented here; frontend/lib/contract.gen.ts is generated from this file (`npm run contract`).
 */
export type InvoiceApiContract =
  | Invoice
  | InvoicePage
  | MetricsSnapshot
  | UploadRequest
  | UploadTicket
  | Health
  | Me
  | InvoicePatch
  | Conflict
  | HistoryPage
  | ExportDocument
  | ExportLink
  | PageImages
  | ErrorBody
  | Visualization
  | VisualizationList
  | VisualizationConflict
  | ParameterHistoryPage
  | VisualizationData
  | ServerMessage
  | ClientMessage
  | ConfigJson;
/**
 * The answer of `POST /receive`, `POST /api/invoices` and `POST /api/uploads/<id>/process`: the stored invoice plus its text segments. (`GET /api/invoices/<id>` returns the same without `textSegments`.)
 */
export type Invoice = InvoiceSummary & {
  /**
   * The detected text, segment by segment, in reading order per page.
   */
  textSegments?: TextSegment[];
};
/**
 * An ExtractedField whose value is a string.
 */
export type TextField = ExtractedField & {
  value?: string;
};
/**
 * 0–1.
 */
export type Confidence = number;
/**
 * 1-based page of the document.
 */
export type PageNumber = number;
/**
 * Bounding box [x0, y0, x1, y1] as fractions (0–1) of the page's width and height, origin top left.
 *
 * @minItems 4
 * @maxItems 4
 */
export type Box = [number, number, number, number];
/**
 * An ExtractedField whose value is an ISO date.
 */
export type DateField = ExtractedField & {
  value?: string;
};
/**
 * An ExtractedField whose value is an ISO 4217 currency code.
 */
export type CurrencyField = ExtractedField & {
  value?: string;
};
/**
 * An ExtractedField whose value is an amount in the invoice's currency.
 */
export type AmountField = ExtractedField & {
  value?: number;
};
/**
 * An ExtractedField whose value is the kind of document.
 */
export type DocumentTypeField = ExtractedField & {
  value?: "invoice" | "credit-note" | "receipt";
};
/**
 * 0–100.
 */
export type Percent = number;
/**
 * Whether a dependency answered.
 */
export type CheckResult = "ok" | "unreachable";
/**
 * viewer < reviewer (upload, correct, approve) < admin (delete).
 */
export type Role = "viewer" | "reviewer" | "admin";
/**
 * Milliseconds since the Unix epoch.
 */
export type EpochMs = number;
/**
 * `GET|PUT /api/visualizations/<id>`, `POST /api/visualizations` (201), `POST /api/visualizations/<id>/parameters`: a saved chart, discriminated by `type`.
 */
export type Visualization = NormalVisualization | HistogramVisualization | SeriesVisualization | ScatterVisualization;
/**
 * How many equal-width bins between the data's min and max.
 */
export type Bins = number;
/**
 * normal, histogram, scatter: the invoices created in the last `days` UTC days (today included). Default 30.
 */
export type WindowDays = number;
/**
 * A number per invoice: `latency` (processing, ms), `total` (the invoice total, in its own currency), `accuracy` (the reader's estimate, 0-100), `measuredAccuracy` (0-100, approved invoices only), `pages`. An invoice without the value is left out.
 */
export type NumericMeasure = "latency" | "total" | "accuracy" | "measuredAccuracy" | "pages";
/**
 * A parameter's value (null: absent); `filters` is an object.
 */
export type ParameterValue = (string | number | null) | InvoiceFilters;
/**
 * `GET /api/visualizations/<id>/data`: computed on the server from the invoices of the range (byDay index, never a scan), discriminated by `type`.
 */
export type VisualizationData = NormalData | HistogramData | SeriesData | ScatterData;
/**
 * Every WebSocket message the server sends, discriminated by `type`.
 */
export type ServerMessage =
  | MetricsUpdateMessage
  | PongMessage
  | ErrorMessage
  | PresenceMessage
  | InvoiceUpdatedMessage
  | ParamsUpdateMessage
  | CursorMessage
  | VisualizationRemovedMessage;
/**
 * A WebSocket topic: `invoice:<invoiceId>` (live review), `invoices` (the list: `invoice-updated` of every invoice) or `visualization:<id>`; ids of letters, digits, `_` and `-`, at most 64.
 */
export type Topic = string;
/**
 * The parameters of one of the types (which one: the visualization's `type`). Answers always carry the full set, defaults filled in.
 */
export type VisualizationParameters = NormalParameters | HistogramParameters | SeriesParameters | ScatterParameters;
/**
 * A position in the chart's data coordinates.
 */
export type ChartCoordinate = number;
/**
 * Every WebSocket message the server understands, discriminated by `action` (API Gateway's route selection `$request.body.action`). Anything else is answered with an `error` message. At most 32 KB.
 */
export type ClientMessage =
  GetMetricsAction | PingAction | SubscribeAction | UnsubscribeAction | FocusAction | CursorAction;

/**
 * A stored invoice, as `GET /api/invoices` lists it and `GET /api/invoices/<id>` returns it (no text segments).
 */
export interface InvoiceSummary {
  /**
   * `inv_<8 hex>_<epoch seconds>`.
   */
  invoiceId: string;
  /**
   * Review state: `needs-review` after processing, then `approved` or `rejected` (older invoices may say `processed`).
   */
  status: string;
  /**
   * When the invoice was stored (epoch ms).
   */
  createdAt: number;
  /**
   * The uploaded file's name.
   */
  fileName: string;
  /**
   * The file's type, checked by content.
   */
  mediaType: "application/pdf" | "image/png" | "image/jpeg" | "image/tiff" | "image/webp" | "application/xml";
  /**
   * Size of the uploaded file.
   */
  sizeBytes: number;
  /**
   * What read the text: `pdf-text` (the PDF's text layer), `rapidocr`, `tesseract`, `textract`, `pdf-text+<ocr engine>` for a PDF with scanned pages, `tesseract+rapidocr` for a single-page image read by both and voted field by field, or `e-invoice` when the fields come from e-invoice XML (an uploaded CII/UBL file, or the Factur-X/ZUGFeRD/XRechnung XML a PDF embeds).
   */
  engine: string;
  /**
   * Pages read.
   */
  pages: number;
  /**
   * Processing time of this invoice (ms).
   */
  latencyMs: number;
  /**
   * Estimated extraction accuracy (0–100).
   */
  accuracy: number;
  fields: InvoiceFields;
  /**
   * All detected text, pages separated by a blank line.
   */
  detectedText: string;
  /**
   * The invoice's lines (from e-invoice XML, or the text reader's table); empty when none are known.
   */
  lineItems?: LineItem[];
  /**
   * What a reviewer should look at; empty when nothing.
   */
  flags?: Flag[];
  /**
   * Present (true) when the stored `detectedText` was cut at 100,000 characters.
   */
  textTruncated?: true;
  /**
   * Optimistic concurrency: 1 when stored, + 1 per correction; send it as `If-Match` with a PATCH.
   */
  version?: number;
  /**
   * When it was last corrected (epoch ms).
   */
  updatedAt?: number;
  /**
   * Why it was rejected.
   */
  statusReason?: string;
  reviewedBy?: Person;
  lastChangedBy?: Person1;
  /**
   * Once approved: the share of the reader's fields a person left unchanged (0–100).
   */
  measuredAccuracy?: number;
  uploadedBy?: Person2;
  /**
   * Key of the original file in the uploads bucket.
   */
  s3Key?: string;
}
/**
 * The fields found, one key per FieldName; a field that was not found is absent. More names may follow.
 */
export interface InvoiceFields {
  invoiceNumber?: TextField;
  invoiceDate?: DateField;
  dueDate?: DateField;
  vendorName?: TextField;
  currency?: CurrencyField;
  subtotal?: AmountField;
  tax?: AmountField;
  total?: AmountField;
  documentType?: DocumentTypeField;
  buyerName?: TextField;
  vendorTaxId?: TextField;
  buyerTaxId?: TextField;
  iban?: TextField;
  bic?: TextField;
  purchaseOrder?: TextField;
  paymentTerms?: TextField;
}
/**
 * One field read from the invoice. `page` and `box` say where the value was read (the text segment(s) it came from); absent when not known, e.g. a value derived from others or an engine's own field.
 */
export interface ExtractedField {
  /**
   * Dates are ISO `YYYY-MM-DD`, `currency` is an ISO 4217 code, amounts are numbers, the rest strings.
   */
  value: string | number;
  confidence: Confidence;
  page?: PageNumber;
  box?: Box;
  /**
   * `user` when a person corrected it (confidence is then 1).
   */
  source?: "user";
  /**
   * With `source: user`: what the reader had found (null: nothing), kept to measure accuracy.
   */
  extracted?: string | number | null;
}
/**
 * One line of the invoice's table; a part that is not known is null.
 */
export interface LineItem {
  description: string | null;
  quantity: number | null;
  /**
   * Net price of one unit.
   */
  unitPrice: number | null;
  /**
   * The line's net amount.
   */
  amount: number | null;
  /**
   * Percent, e.g. 19.
   */
  taxRate: number | null;
}
/**
 * Something a reviewer should look at. Codes so far: `xml-text-mismatch` (the printed page disagrees with the e-invoice XML on `field`; the XML value is used), `embedded-xml-invalid` (the PDF's e-invoice XML could not be read; the fields come from the text), `line-items-mismatch` (the lines do not add up), `line-items-truncated`. More codes may follow.
 */
export interface Flag {
  code: string;
  /**
   * For people.
   */
  message: string;
  /**
   * The FieldName concerned, when there is one.
   */
  field?: string;
}
/**
 * Who approved or rejected it.
 */
export interface Person {
  /**
   * The Cognito user id.
   */
  sub: string;
  email: string;
}
/**
 * Who made the last correction (the `by` of `invoice-updated`).
 */
export interface Person1 {
  /**
   * The Cognito user id.
   */
  sub: string;
  email: string;
}
/**
 * Who uploaded the invoice (absent on invoices stored before sign-in existed).
 */
export interface Person2 {
  /**
   * The Cognito user id.
   */
  sub: string;
  email: string;
}
/**
 * A line or word of detected text; `box` is absent when the engine gave no position.
 */
export interface TextSegment {
  text: string;
  confidence: Confidence;
  page: PageNumber;
  box?: Box;
}
/**
 * `GET /api/invoices?limit=&cursor=&q=`: one page, newest first.
 */
export interface InvoicePage {
  items: InvoiceSummary[];
  /**
   * Pass as `cursor` to get the next page; null on the last page.
   */
  nextCursor: string | null;
}
/**
 * `GET /api/metrics`, and the `data` of a `metrics-update` message: the last `windowSeconds` (60 s) of activity. The first five keys are the seed contract; more keys may follow.
 */
export interface MetricsSnapshot {
  /**
   * Invoices processed in the window.
   */
  total: number;
  /**
   * Invoices per second over the window.
   */
  throughput: number;
  /**
   * Mean processing latency (ms); 0 when total is 0.
   */
  avgLatency: number;
  /**
   * Mean accuracy (0–100); 0 when total is 0.
   */
  avgAccuracy: number;
  /**
   * When the snapshot was taken (epoch ms).
   */
  timestamp: number;
  /**
   * Median latency (ms), from a histogram.
   */
  p50Latency?: number;
  /**
   * 95th-percentile latency (ms), from a histogram.
   */
  p95Latency?: number;
  /**
   * Uploads that failed processing in the window.
   */
  errors?: number;
  /**
   * Invoices approved in the window (measured, not estimated).
   */
  reviewed?: number;
  /**
   * Mean measured field accuracy of the invoices approved in the last 24 h (0–100); null when none was.
   */
  reviewedAccuracy?: Percent | null;
  /**
   * Invoices waiting for a review now (the backlog).
   */
  needsReview?: number;
  /**
   * Length of the window (60).
   */
  windowSeconds?: number;
  /**
   * In a `metrics-update`: how far apart broadcasts are spaced now (ms; 1000 for small audiences, connections / BROADCAST_MAX_RATE s for large ones). Data older than this (plus a grace) is stale. Absent from `GET /api/metrics`.
   */
  intervalMs?: number;
  /**
   * The last 15 minutes, oldest first, one point per minute (the current minute last).
   */
  series?: SeriesPoint[];
}
/**
 * One minute of activity.
 */
export interface SeriesPoint {
  /**
   * Start of the minute (epoch ms).
   */
  t: number;
  /**
   * Invoices processed in that minute.
   */
  count: number;
  /**
   * Mean latency (ms); 0 when count is 0.
   */
  avgLatency: number;
  /**
   * 0–100.
   */
  avgAccuracy: number;
  /**
   * Uploads that failed processing in that minute.
   */
  errors: number;
}
/**
 * Body of `POST /api/uploads` (a file over `maxUploadBytes`).
 */
export interface UploadRequest {
  /**
   * The file's name (≤ 255 characters).
   */
  fileName: string;
  /**
   * The file's size in bytes (≤ `maxLargeUploadBytes`).
   */
  size: number;
}
/**
 * Answer of `POST /api/uploads`: a presigned S3 POST. Send `fields` then the file (as `file`) as multipart/form-data to `url`, then `POST /api/uploads/<uploadId>/process`.
 */
export interface UploadTicket {
  /**
   * Single-use id (32 hex digits).
   */
  uploadId: string;
  /**
   * Where to POST the form (the uploads bucket).
   */
  url: string;
  /**
   * Form fields to send before the file, exactly as given (key, policy, signature…).
   */
  fields: {
    [k: string]: string;
  };
  /**
   * Seconds the POST is accepted (600).
   */
  expiresIn: number;
  /**
   * Largest file the POST policy admits.
   */
  maxBytes: number;
}
/**
 * `GET /api/health`: 200 with status `ok` when every table and the bucket answer, else 503 with `degraded`.
 */
export interface Health {
  status: "ok" | "degraded";
  /**
   * One result per dependency.
   */
  checks: {
    invoicesTable: CheckResult;
    metricsTable: CheckResult;
    connectionsTable: CheckResult;
    uploadsBucket: CheckResult;
    historyTable?: CheckResult;
    [k: string]: CheckResult | undefined;
  };
  /**
   * Failures logged but absorbed since this instance started, by kind (`metrics`, `broadcast`, `cleanup`, `connections`, `websocket`); a kind that never failed is absent.
   */
  failures: {
    [k: string]: number;
  };
  /**
   * `stream`: the metrics table's stream triggers the broadcast; `inline`: the upload broadcasts itself.
   */
  broadcastMode: "stream" | "inline";
  /**
   * How requests are authenticated: `cognito` (verified tokens) or `none` (an explicit opt-out).
   */
  authMode?: "cognito" | "none";
  /**
   * The configured OCR_ENGINE.
   */
  ocrEngine: "auto" | "rapidocr" | "tesseract" | "textract";
}
/**
 * GET /api/me: the signed-in user.
 */
export interface Me {
  sub: string;
  email: string;
  name: string;
  /**
   * @minItems 1
   */
  roles: [Role, ...Role[]];
}
/**
 * `PATCH /api/invoices/<id>` (reviewer+, with `If-Match: <version>`): corrected fields (null removes one) and/or a status; a rejection needs a `reason`.
 */
export interface InvoicePatch {
  fields?: {
    [k: string]: string | number | null;
  };
  status?: "needs-review" | "approved" | "rejected";
  reason?: string;
}
/**
 * 409 of a PATCH: the invoice changed since `If-Match` (or is approved, hence locked); `current` is what it is now.
 */
export interface Conflict {
  error: string;
  current: InvoiceSummary | null;
}
/**
 * `GET /api/invoices/<id>/history` and `GET /api/history`: newest first.
 */
export interface HistoryPage {
  items: HistoryEntry[];
  nextCursor: string | null;
}
/**
 * One change of one invoice: a field (old/new values, null when absent) or `status`.
 */
export interface HistoryEntry {
  invoiceId: string;
  at: EpochMs;
  /**
   * The invoice's version this change produced.
   */
  version: number;
  by: Person3;
  /**
   * A field name, or `status`.
   */
  field: string;
  old?: string | number | null;
  new?: string | number | null;
  /**
   * A rejection's reason.
   */
  reason?: string;
}
/**
 * A user as records keep them.
 */
export interface Person3 {
  /**
   * The Cognito user id.
   */
  sub: string;
  email: string;
}
/**
 * `GET /api/export?format=json` answered inline.
 */
export interface ExportDocument {
  items: ExportRow[];
}
/**
 * One invoice in `GET /api/export` (the CSV has these columns in this order; absent values are empty cells, text cells starting with = + - @ tab or CR get a leading apostrophe).
 */
export interface ExportRow {
  invoiceId: string;
  invoiceNumber?: string | null;
  invoiceDate?: string | null;
  dueDate?: string | null;
  vendorName?: string | null;
  currency?: string | null;
  subtotal?: number | null;
  tax?: number | null;
  total?: number | null;
  status: string;
  statusReason?: string | null;
  /**
   * E-mail of who approved or rejected it.
   */
  reviewedBy?: string | null;
  uploadedBy?: string | null;
  /**
   * ISO 8601, UTC.
   */
  createdAt: string | null;
  updatedAt?: string | null;
  fileName?: string;
  version: number;
  /**
   * The invoice's lines (the CSV holds them as one JSON cell, empty when none).
   */
  lineItems?: LineItem[];
}
/**
 * `GET /api/export` too large to answer inline: a presigned download URL.
 */
export interface ExportLink {
  url: string;
  expiresIn: number;
  rows: number;
  fileName: string;
}
/**
 * `GET /api/invoices/<id>/pages` (viewer+): every page of the stored original as an image (PDF pages rendered by pdfium, images upright by their EXIF orientation; at most 1600 px on the long side, WebP), cached in S3 next to the original. Each `url` is a presigned GET valid for `expiresIn` seconds; field boxes are fractions of these images. 404 when the invoice or its original is unknown, 422 when the original cannot be rendered.
 */
export interface PageImages {
  pages: PageImage[];
  expiresIn: number;
}
/**
 * One page image: its 1-based number, a presigned URL and its size in pixels.
 */
export interface PageImage {
  page: PageNumber;
  url: string;
  width: number;
  height: number;
}
/**
 * Every 4xx/5xx answer of the app (400, 404, 405, 413, 415, 422, 500, 503).
 */
export interface ErrorBody {
  /**
   * What was wrong, fit to show to a person.
   */
  error: string;
}
/**
 * A saved `normal` visualization.
 */
export interface NormalVisualization {
  /**
   * Random, 32 hex digits.
   */
  id: string;
  name: string;
  type: "normal";
  parameters: NormalParameters;
  /**
   * The Cognito `sub` of whoever created it.
   */
  ownerId: string;
  owner: Person3;
  /**
   * false: only the owner sees it (404 for anyone else).
   */
  shared: boolean;
  /**
   * 1 when created, + 1 with every change (optimistic concurrency).
   */
  version: number;
  createdAt: EpochMs;
  updatedAt: EpochMs;
}
/**
 * `normal`: the distribution of `measure` with a normal curve N(mean, stdDev). `mean`/`stdDev` absent: the fitted values. Share inside mean ± k·stdDev and above `target`.
 */
export interface NormalParameters {
  measure: "latency" | "total" | "accuracy";
  mean?: number;
  stdDev?: number;
  /**
   * Default 2.
   */
  k: number;
  /**
   * A target line (e.g. 2000 ms); absent: none.
   */
  target?: number;
  bins: Bins;
  days: WindowDays;
}
/**
 * A saved `histogram` visualization.
 */
export interface HistogramVisualization {
  /**
   * Random, 32 hex digits.
   */
  id: string;
  name: string;
  type: "histogram";
  parameters: HistogramParameters;
  /**
   * The Cognito `sub` of whoever created it.
   */
  ownerId: string;
  owner: Person3;
  /**
   * false: only the owner sees it (404 for anyone else).
   */
  shared: boolean;
  /**
   * 1 when created, + 1 with every change (optimistic concurrency).
   */
  version: number;
  createdAt: EpochMs;
  updatedAt: EpochMs;
}
/**
 * `histogram`: `measure` in `bins` bins, optionally filtered.
 */
export interface HistogramParameters {
  measure: NumericMeasure;
  bins: Bins;
  days: WindowDays;
  filters: InvoiceFilters;
}
/**
 * Only invoices matching every filter given (vendor: the extracted vendorName, exact, case-insensitive).
 */
export interface InvoiceFilters {
  vendor?: string;
  currency?: string;
  status?: "needs-review" | "approved" | "rejected";
}
/**
 * A saved `series` visualization.
 */
export interface SeriesVisualization {
  /**
   * Random, 32 hex digits.
   */
  id: string;
  name: string;
  type: "series";
  parameters: SeriesParameters;
  /**
   * The Cognito `sub` of whoever created it.
   */
  ownerId: string;
  owner: Person3;
  /**
   * false: only the owner sees it (404 for anyone else).
   */
  shared: boolean;
  /**
   * 1 when created, + 1 with every change (optimistic concurrency).
   */
  version: number;
  createdAt: EpochMs;
  updatedAt: EpochMs;
}
/**
 * `series`: `measure` per UTC `interval` (ISO weeks start on Monday) over [from, to): `count` (invoices), `spend` (sum of totals, one group per currency), `latency` (average ms), `measuredAccuracy` (average of approved invoices). `split: vendor`: one group per vendor among the `topN` with most invoices in the range, the rest in `other`. At most 92 days and 1,000 buckets.
 */
export interface SeriesParameters {
  measure: "count" | "spend" | "latency" | "measuredAccuracy";
  interval: "hour" | "day" | "week";
  from: EpochMs;
  to: EpochMs;
  split: "none" | "vendor";
  /**
   * With split vendor (default 5).
   */
  topN?: number;
}
/**
 * A saved `scatter` visualization.
 */
export interface ScatterVisualization {
  /**
   * Random, 32 hex digits.
   */
  id: string;
  name: string;
  type: "scatter";
  parameters: ScatterParameters;
  /**
   * The Cognito `sub` of whoever created it.
   */
  ownerId: string;
  owner: Person3;
  /**
   * false: only the owner sees it (404 for anyone else).
   */
  shared: boolean;
  /**
   * 1 when created, + 1 with every change (optimistic concurrency).
   */
  version: number;
  createdAt: EpochMs;
  updatedAt: EpochMs;
}
/**
 * `scatter`: one point per invoice having both measures.
 */
export interface ScatterParameters {
  x: NumericMeasure;
  y: NumericMeasure;
  days: WindowDays;
}
/**
 * `GET /api/visualizations?limit=&cursor=`: the caller's own and the shared ones, newest created first, one page (`limit` 1–100, default 50); `nextCursor` (opaque) asks for the next page, null at the end.
 */
export interface VisualizationList {
  items: Visualization[];
  nextCursor?: string | null;
}
/**
 * 409: the visualization changed since the version sent; `current` is what it is now.
 */
export interface VisualizationConflict {
  error: string;
  current: Visualization | null;
}
/**
 * `GET /api/visualizations/<id>/history?limit=&cursor=`: newest first.
 */
export interface ParameterHistoryPage {
  items: ParameterChange[];
  nextCursor: string | null;
}
/**
 * One changed parameter of a visualization (history item).
 */
export interface ParameterChange {
  visualizationId: string;
  at: EpochMs;
  /**
   * The version the change produced.
   */
  version: number;
  by: Person3;
  parameter: string;
  old: ParameterValue;
  new: ParameterValue;
}
/**
 * `/data` of a `normal` visualization.
 */
export interface NormalData {
  type: "normal";
  visualizationId: string;
  /**
   * The visualization's version these data were computed for.
   */
  version: number;
  /**
   * Milliseconds since the Unix epoch.
   */
  from: number;
  to: EpochMs;
  /**
   * Invoices read from the byDay index.
   */
  rows: number;
  /**
   * true: more than 10,000 invoices in the range; only the first 10,000 (oldest first) were used.
   */
  truncated: boolean;
  measure: "latency" | "total" | "accuracy";
  /**
   * Values in the data (invoices having the measure).
   */
  count: number;
  bins: Bin[];
  /**
   * null without values.
   */
  fit: NormalFit | null;
  /**
   * The curve drawn: the parameters' mean/stdDev, else the fit's (null: neither; a fitted stdDev of 0 is no curve).
   */
  curve: NormalFit | null;
  k: number;
  /**
   * Share (0-1) of the values inside curve.mean ± k·curve.stdDev (null: no curve or no values).
   */
  inside: number | null;
  /**
   * The same share under the normal curve: erf(k/√2) (null: no curve).
   */
  expectedInside: number | null;
  target: number | null;
  /**
   * Share (0-1) of the values > target (null: no target or no values).
   */
  aboveTarget: number | null;
}
/**
 * One histogram bin [x0, x1) (the last one includes x1).
 */
export interface Bin {
  x0: number;
  x1: number;
  count: number;
}
/**
 * Mean and population standard deviation (maximum likelihood) of the values.
 */
export interface NormalFit {
  mean: number;
  stdDev: number;
}
/**
 * `/data` of a `histogram` visualization.
 */
export interface HistogramData {
  type: "histogram";
  visualizationId: string;
  /**
   * The visualization's version these data were computed for.
   */
  version: number;
  /**
   * Milliseconds since the Unix epoch.
   */
  from: number;
  to: EpochMs;
  /**
   * Invoices read from the byDay index.
   */
  rows: number;
  /**
   * true: more than 10,000 invoices in the range; only the first 10,000 (oldest first) were used.
   */
  truncated: boolean;
  measure: NumericMeasure;
  count: number;
  bins: Bin[];
  min: number | null;
  max: number | null;
}
/**
 * `/data` of a `series` visualization: buckets are UTC hours, days or ISO weeks (Monday 00:00 UTC).
 */
export interface SeriesData {
  type: "series";
  visualizationId: string;
  /**
   * The visualization's version these data were computed for.
   */
  version: number;
  /**
   * Milliseconds since the Unix epoch.
   */
  from: number;
  to: EpochMs;
  /**
   * Invoices read from the byDay index.
   */
  rows: number;
  /**
   * true: more than 10,000 invoices in the range; only the first 10,000 (oldest first) were used.
   */
  truncated: boolean;
  measure: "count" | "spend" | "latency" | "measuredAccuracy";
  interval: "hour" | "day" | "week";
  /**
   * The start of each bucket.
   */
  buckets: EpochMs[];
  groups: SeriesGroup[];
}
/**
 * One line of a series: `key` is `all`, a currency (spend), a vendor, `other`, or `<vendor>|<currency>` (spend split by vendor). `values[i]` belongs to `buckets[i]`; null: no value (an average of nothing).
 */
export interface SeriesGroup {
  key: string;
  vendor?: string;
  currency?: string;
  values: (number | null)[];
}
/**
 * `/data` of a `scatter` visualization.
 */
export interface ScatterData {
  type: "scatter";
  visualizationId: string;
  /**
   * The visualization's version these data were computed for.
   */
  version: number;
  /**
   * Milliseconds since the Unix epoch.
   */
  from: number;
  to: EpochMs;
  /**
   * Invoices read from the byDay index.
   */
  rows: number;
  /**
   * true: more than 10,000 invoices in the range; only the first 10,000 (oldest first) were used.
   */
  truncated: boolean;
  x: NumericMeasure;
  y: NumericMeasure;
  points: ScatterPoint[];
}
/**
 * One invoice of a scatter plot.
 */
export interface ScatterPoint {
  x: number;
  y: number;
  invoiceId: string;
}
/**
 * Server → client: the live metrics. Broadcast after each DynamoDB stream batch with new metrics (or each upload in inline mode), and the answer to `getMetrics`.
 */
export interface MetricsUpdateMessage {
  type: "metrics-update";
  data: MetricsSnapshot;
}
/**
 * Server → client: the answer to `ping`.
 */
export interface PongMessage {
  type: "pong";
}
/**
 * Server → client: a message the server could not act on (malformed, unknown action).
 */
export interface ErrorMessage {
  type: "error";
  /**
   * What was wrong.
   */
  error: string;
}
/**
 * Server → the subscribers of `topic`: who is looking, sent whenever someone subscribes, unsubscribes, focuses a field or leaves (disconnects or is found gone).
 */
export interface PresenceMessage {
  type: "presence";
  topic: Topic;
  viewers: Viewer[];
}
/**
 * One person looking at a topic (several tabs of one person are one viewer).
 */
export interface Viewer {
  /**
   * The Cognito user id ("" without sign-in).
   */
  sub: string;
  /**
   * The name, else the e-mail.
   */
  name: string;
  /**
   * One or two letters for an avatar.
   */
  initials: string;
  /**
   * The field the viewer has focused, or null.
   */
  editing: string | null;
}
/**
 * Server → the subscribers of `invoice:<invoiceId>`: the invoice was corrected (from the invoices table's stream).
 */
export interface InvoiceUpdatedMessage {
  type: "invoice-updated";
  data: InvoiceUpdate;
}
/**
 * `data` of `invoice-updated`: what the corrections of one DynamoDB stream batch changed (several corrections of one invoice are one update).
 */
export interface InvoiceUpdate {
  invoiceId: string;
  /**
   * The invoice's version after the changes.
   */
  version: number;
  changes: InvoiceChange[];
  status: "needs-review" | "approved" | "rejected";
  /**
   * Who made the last of the changes (null: unknown, e.g. without sign-in).
   */
  by: Person3 | null;
}
/**
 * One changed value of an invoice: a field's `value`, or `status`.
 */
export interface InvoiceChange {
  /**
   * A field name, or `status`.
   */
  field: string;
  /**
   * null: the field was absent.
   */
  old: string | number | null;
  /**
   * null: the field was removed.
   */
  new: string | number | null;
}
/**
 * Server → the subscribers of `visualization:<id>`: its parameters changed (sent after the change is stored).
 */
export interface ParamsUpdateMessage {
  type: "params-update";
  data: ParamsUpdate;
}
/**
 * `data` of `params-update`: the new parameters and version of a visualization, and who changed them.
 */
export interface ParamsUpdate {
  visualizationId: string;
  parameters: VisualizationParameters;
  version: number;
  by: Person3;
}
/**
 * Server → the other subscribers of a topic: a viewer's cursor moved.
 */
export interface CursorMessage {
  type: "cursor";
  data: CursorPosition;
}
/**
 * `data` of `cursor`: where another viewer's pointer is.
 */
export interface CursorPosition {
  topic: Topic;
  x: ChartCoordinate;
  y: ChartCoordinate;
  by: {
    sub: string;
    name: string;
    initials: string;
  };
  /**
   * Tells two tabs of one person apart.
   */
  connectionId: string;
}
/**
 * Server → a subscriber of `visualization:<id>` who may no longer see it (it was unshared, or deleted): the connection is no longer in the topic.
 */
export interface VisualizationRemovedMessage {
  type: "visualization-removed";
  data: {
    visualizationId: string;
    reason: "unshared" | "deleted";
  };
}
/**
 * Client → server: send me (this connection only) a `metrics-update` now.
 */
export interface GetMetricsAction {
  action: "getMetrics";
}
/**
 * Client → server: heartbeat, answered with `pong` (keeps the connection inside API Gateway's 10-minute idle timeout).
 */
export interface PingAction {
  action: "ping";
}
/**
 * Client → server: follow a topic (at most 20 per connection); every subscriber, this one included, gets the topic's `presence`. Subscribe, unsubscribe and focus are limited to 5 per 10 s per connection (beyond: `error`); clearing a focus (`field: null`) is not counted and announces only when it releases a field.
 */
export interface SubscribeAction {
  action: "subscribe";
  topic: Topic;
}
/**
 * Client → server: stop following a topic; the other subscribers get its `presence`.
 */
export interface UnsubscribeAction {
  action: "unsubscribe";
  topic: Topic;
}
/**
 * Client → server: the field this viewer edits in a subscribed topic (null: none); the subscribers get its `presence`.
 */
export interface FocusAction {
  action: "focus";
  topic: Topic;
  field: string | null;
}
/**
 * Client → server: my pointer in a subscribed topic's chart, relayed to its other subscribers as `cursor`. At most 20 per second per connection (10 in a burst); the excess is dropped (one `error` says so). Not a subscriber: `error`.
 */
export interface CursorAction {
  action: "cursor";
  topic: Topic;
  x: ChartCoordinate;
  y: ChartCoordinate;
}
/**
 * `/config.json`, fetched by the page from its own origin at run time. Written from the stack outputs by infra/frontend_config.py on AWS, served by the local gateway in the local stack.
 */
export interface ConfigJson {
  /**
   * Base URL of the HTTP API without a trailing slash; "" means the page's own origin.
   */
  apiUrl: string;
  /**
   * WebSocket URL (`wss://…/<stage>`, `ws://` locally).
   */
  wsUrl: string;
  /**
   * Files up to this size go to `POST /api/invoices` in the request body.
   */
  maxUploadBytes: number;
  /**
   * Larger files, up to this size, go through `POST /api/uploads` (presigned S3 POST). Absent for a stack without that path; the page then assumes 20,000,000.
   */
  maxLargeUploadBytes?: number;
  /**
   * Interval of the client's `ping` (default 300).
   */
  wsHeartbeatSeconds?: number;
  /**
   * Cap of the client's reconnect backoff (default 30).
   */
  wsReconnectMaxSeconds?: number;
  auth?: AuthConfig;
}
/**
 * `auth` of `/config.json`: how the page signs people in. Absent, or mode `none`: no sign-in. Mode `cognito`: the page signs in against the user pool with `USER_PASSWORD_AUTH` (an app client without a secret) and sends the id token as `Authorization: Bearer` to the API and as `?token=` on the WebSocket URL.
 */
export interface AuthConfig {
  mode: "cognito" | "none";
  /**
   * AWS region of the user pool.
   */
  region?: string;
  /**
   * Id of the user pool (`<region>_<id>`).
   */
  userPoolId?: string;
  /**
   * Id of the app client (public: no secret).
   */
  clientId?: string;
  /**
   * URL the page POSTs Cognito's JSON API to (`Content-Type: application/x-amz-json-1.1`, `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`): `https://cognito-idp.<region>.amazonaws.com/` on AWS; locally the embedded Cognito or a same-origin path of the local gateway.
   */
  endpoint?: string;
}

/**
 * Names of the extracted fields. A field that was not found is absent from `fields`.
 */
export const FIELD_NAMES = [
  "invoiceNumber",
  "invoiceDate",
  "dueDate",
  "vendorName",
  "currency",
  "subtotal",
  "tax",
  "total",
  "documentType",
  "buyerName",
  "vendorTaxId",
  "buyerTaxId",
  "iban",
  "bic",
  "purchaseOrder",
  "paymentTerms",
] as const;

export type FieldName = (typeof FIELD_NAMES)[number];
