// Validates an OpenAPI document against the OpenAPI 3.x JSON schema and resolves every $ref.
// Usage: node swagger-validate.mjs <tools-folder> <document>
import { createRequire } from "node:module";
import path from "node:path";

const [tools, document] = process.argv.slice(2);
const require = createRequire(path.resolve(tools, "node_modules", "noop.js"));
const SwaggerParser = require("@apidevtools/swagger-parser");

try {
  const api = await SwaggerParser.validate(document);
  console.log(`swagger-parser: ${document} is valid OpenAPI ${api.openapi} (${Object.keys(api.paths ?? {}).length} paths)`);
} catch (error) {
  console.error(`swagger-parser: ${document} is invalid:\n${error.message}`);
  process.exit(1);
}
