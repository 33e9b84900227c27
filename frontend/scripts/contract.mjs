#!/usr/bin/env node
// TypeScript types of the API contract, generated from docs/contract/api.schema.json.
//
//   node scripts/contract.mjs           write lib/contract.gen.ts       (npm run contract)
//   node scripts/contract.mjs --check   fail if lib/contract.gen.ts is stale   (part of npm run lint)
//
// Objects in the schema are open (keys may be added); the types list only the documented keys.
// json-schema-to-typescript emits no values, so the FieldName enum is appended as FIELD_NAMES.

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const frontend = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const schemaPath = path.join(frontend, "..", "docs", "contract", "api.schema.json");
const outPath = path.join(frontend, "lib", "contract.gen.ts");

const BANNER = `// Generated from docs/contract/api.schema.json by \`npm run contract\` (json-schema-to-typescript).
// Do not edit: change the schema and regenerate; \`npm run lint\` fails when this file is stale.
`;

async function generate() {
  const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
  const types = await compile(schema, schema.title, {
    additionalProperties: false,
    bannerComment: BANNER,
    cwd: path.dirname(schemaPath),
    format: true,
    strictIndexSignatures: false,
    unknownAny: true,
    unreachableDefinitions: true,
    style: { printWidth: 120 },
  });
  const fieldName = schema.$defs.FieldName;
  const names = fieldName.enum.map((name) => `  ${JSON.stringify(name)},`).join("\n");
  return `${types.trimEnd()}

/**
 * ${fieldName.description}
 */
export const FIELD_NAMES = [
${names}
] as const;

export type FieldName = (typeof FIELD_NAMES)[number];
`;
}

const fresh = await generate();
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(outPath, "utf8");
  } catch {
    // missing: stale
  }
  if (current !== fresh) {
    console.error(`${path.relative(process.cwd(), outPath)} is stale: run \`npm run contract\` and commit it.`);
    process.exit(1);
  }
  console.log(`${path.relative(process.cwd(), outPath)} matches the schema.`);
} else {
  writeFileSync(outPath, fresh);
  console.log(`wrote ${path.relative(process.cwd(), outPath)}`);
}
