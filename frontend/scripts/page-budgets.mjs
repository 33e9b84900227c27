#!/usr/bin/env node
// Every exported page has a JS budget (gzip kB, as scripts/bundle-size.mjs counts it); `make test`
// fails when one is over. The home page's is the 150 kB; the others leave a few kB of room
// over what they weigh now, so growth is a decision, not an accident. Run after `npm run build`.

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "..", "out");
const BUDGETS = {
  "index.html": 150, // home: upload + the widget
  "signin/index.html": 150,
  "invoices/index.html": 155, // list, export
  "invoice/index.html": 160, // detail, review, timeline
  "analytics/index.html": 270, // D3 charts, live cursors: at most 120 kB over the home page's 150
  "404.html": 150,
};

let failed = false;
for (const [page, kb] of Object.entries(BUDGETS)) {
  const file = path.join(out, page);
  if (!existsSync(file)) {
    console.error(`${page}: not in the build (did the page move?)`);
    failed = true;
    continue;
  }
  try {
    const report = execFileSync("node", [path.join(here, "bundle-size.mjs"), file, "--max-kb", String(kb)], {
      encoding: "utf8",
    });
    console.log(`${report.trim().split("\n").at(-1)} (budget ${kb} kB)`);
  } catch (error) {
    console.error(`${page}: over its budget of ${kb} kB\n${error.stdout ?? ""}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
