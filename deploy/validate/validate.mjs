// Checks every document of a multi-document YAML file (what `kubectl kustomize` prints) against the schema of
// its kind, twice, with the models of the kubernetes-models packages (Kubernetes' OpenAPI, prometheus-operator's
// API types):
//   1. the JSON-schema validation the packages ship (compiled by Ajv): types, required fields, enums, formats;
//   2. the TypeScript declarations of the same packages, with the TypeScript compiler: it also rejects a field
//      the kind does not have (a misspelt `readinesProbe` passes 1, as in kubeconform without -strict).
// A kind with no model is an error, never skipped. One line per document; exit 0 when all are valid, 1 when
// any is not, 2 when the file cannot be read.
//
//   npm ci && node validate.mjs built.yaml        (or - for stdin)

import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));

function modelModule(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    return null;
  }
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "monitoring.coreos.com") {
    return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  }
  return `kubernetes-models/${group === "" ? "" : group + "/"}${version}/${kind}`;
}

// A Secret's data as the API server reads it: Go's base64 decoder skips line breaks, and kustomize's
// secretGenerator breaks long values into lines, which the schema's "byte" format alone would refuse.
function asServerReads(doc) {
  if (doc.apiVersion === "v1" && doc.kind === "Secret" && doc.data !== null && typeof doc.data === "object") {
    const data = Object.fromEntries(Object.entries(doc.data)
      .map(([key, value]) => [key, typeof value === "string" ? value.replace(/[\r\n]/g, "") : value]));
    return { ...doc, data };
  }
  return doc;
}

function describe(doc) {
  return `${doc?.kind ?? "?"}/${doc?.metadata?.name ?? "?"}`;
}

async function schemaErrors(doc, module) {
  let model;
  try {
    model = await import(module);
  } catch (e) {
    return [`no schema for apiVersion ${doc.apiVersion}, kind ${doc.kind} (${module} not found)`];
  }
  const Model = model[doc.kind];
  try {
    new Model(doc).validate();
    return [];
  } catch (e) {
    return [e.message];
  }
}

// The documents as typed constants in one TypeScript file; the compiler's errors are mapped back to them.
function typeErrors(docs) {
  const lines = [];
  const owner = [];
  docs.forEach(({ doc, module }, i) => {
    if (module === null) {
      return;
    }
    const text = `import type { I${doc.kind} as T${i} } from "${module}";\n`
      + `export const doc${i}: T${i} = ${JSON.stringify(doc, null, 2)};\n`;
    for (const line of text.split("\n")) {
      lines.push(line);
      owner.push(i);
    }
  });
  const dir = join(here, ".check");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "manifests.ts");
  writeFileSync(file, lines.join("\n"));
  const program = ts.createProgram([file], {
    strict: true, noEmit: true, skipLibCheck: true, types: [],
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  });
  const errors = new Map();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (!d.file || d.file.fileName !== file.replaceAll("\\", "/")) {
      errors.set(-1, [...(errors.get(-1) ?? []), message]);
      continue;
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    const i = owner[line];
    errors.set(i, [...(errors.get(i) ?? []), message]);
  }
  return errors;
}

async function main() {
  const path = process.argv[2];
  if (!path) {
    console.error("usage: node validate.mjs FILE|-");
    return 2;
  }
  let text;
  try {
    text = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (e) {
    console.error(`validate: cannot read ${path}: ${e.message}`);
    return 2;
  }
  const docs = [];
  let failed = false;
  for (const parsed of parseAllDocuments(text)) {
    if (parsed.errors.length > 0) {
      console.log(`invalid YAML: ${parsed.errors.map((e) => e.message).join("; ")}`);
      failed = true;
      continue;
    }
    const doc = parsed.toJS();
    if (doc === null || doc === undefined) {
      continue;
    }
    if (typeof doc !== "object" || Array.isArray(doc)) {
      console.log(`invalid: a document that is not an object: ${JSON.stringify(doc).slice(0, 80)}`);
      failed = true;
      continue;
    }
    docs.push({ doc: asServerReads(doc), module: modelModule(doc.apiVersion, doc.kind) });
  }
  if (docs.length === 0) {
    console.log("invalid: no documents");
    return 1;
  }
  const typed = typeErrors(docs);
  for (const message of typed.get(-1) ?? []) {
    console.log(`invalid: ${message}`);
    failed = true;
  }
  for (const [i, { doc, module }] of docs.entries()) {
    const problems = module === null
      ? [`no schema for apiVersion ${doc.apiVersion}, kind ${doc.kind}`]
      : [...await schemaErrors(doc, module), ...(typed.get(i) ?? [])];
    if (problems.length === 0) {
      console.log(`ok      ${doc.apiVersion} ${describe(doc)}`);
    } else {
      failed = true;
      console.log(`invalid ${doc.apiVersion} ${describe(doc)}: ${problems.join("; ")}`);
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
