// Validates Kubernetes objects against the API's OpenAPI schemas (npm kubernetes-models):
// reads a JSON array of objects on stdin, prints one line per object, exits 1 when any object
// is invalid or has no schema.
// Usage: node k8s_validate.mjs MODELS_DIR < objects.json   (MODELS_DIR/node_modules/kubernetes-models)
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = join(process.argv[2], "node_modules", "kubernetes-models");
const objects = JSON.parse(readFileSync(0, "utf8"));
let failed = 0;
for (const obj of objects) {
  const name = `${obj.apiVersion} ${obj.kind} ${obj.metadata?.name}`;
  const file = join(root, obj.apiVersion, `${obj.kind}.js`);  // v1/Service.js, apps/v1/Deployment.js
  if (!existsSync(file)) {
    console.log(`NO SCHEMA ${name}`);
    failed++;
    continue;
  }
  const Model = (await import(pathToFileURL(file)))[obj.kind];
  try {
    new Model(obj).validate();
    console.log(`valid ${name}`);
  } catch (e) {
    console.log(`INVALID ${name}: ${e.message}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
