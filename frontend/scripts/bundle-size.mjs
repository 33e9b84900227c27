#!/usr/bin/env node
// Production JS of one exported page, gzipped: the sum over every script the page's HTML loads
// (<script src> and <link rel=preload|modulepreload as=script>). `nomodule` scripts (Next's
// legacy polyfills) are listed apart: browsers that run modules never download them.
// Run after `npm run build`.
//
//   node scripts/bundle-size.mjs [page.html, default out/index.html] [--max-kb N]
//
// kB = 1000 bytes; gzip at its default level, as a static server or CDN would send it.

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "out");
const args = process.argv.slice(2);
const maxIndex = args.indexOf("--max-kb");
const maxKb = maxIndex >= 0 ? Number(args.splice(maxIndex, 2)[1]) : undefined;
const page = args[0] ?? path.join(outDir, "index.html");

const html = readFileSync(page, "utf8");
const sources = new Set();
const legacy = new Set();
for (const [tag, src] of html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"[^>]*>/g)) {
  (/\bnomodule\b/i.test(tag) ? legacy : sources).add(src);
}
for (const [tag] of html.matchAll(/<link\b[^>]*>/g)) {
  const href = /\bhref="([^"]+\.js)"/.exec(tag)?.[1];
  if (href && /\bas="script"|\brel="modulepreload"/.test(tag)) sources.add(href);
}
if (sources.size === 0) {
  console.error(`no scripts found in ${page}; did the build run?`);
  process.exit(1);
}

function gzipSize(src) {
  const bytes = readFileSync(path.join(outDir, src.replace(/^\//, "")));
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
}

let raw = 0;
let gzip = 0;
for (const src of [...sources].sort()) {
  const size = gzipSize(src);
  raw += size.raw;
  gzip += size.gzip;
  console.log(`${(size.gzip / 1000).toFixed(1).padStart(7)} kB gz  ${src}`);
}
for (const src of legacy) {
  console.log(`${(gzipSize(src).gzip / 1000).toFixed(1).padStart(7)} kB gz  ${src} (nomodule, not counted)`);
}
const kb = gzip / 1000;
console.log(
  `${path.relative(process.cwd(), page)}: ${sources.size} scripts, ${(raw / 1000).toFixed(1)} kB raw, ${kb.toFixed(1)} kB gzip`,
);
if (maxKb !== undefined && kb > maxKb) {
  console.error(`over the budget of ${maxKb} kB gzip`);
  process.exit(1);
}
