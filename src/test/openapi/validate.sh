#!/usr/bin/env bash
# Validates the OpenAPI document that the server serves, as a client's tooling would read it:
#   1. swagger-parser: the OpenAPI 3.1 JSON schema, and every $ref resolves;
#   2. Redocly lint with redocly.yaml (the `recommended` rules, warnings raised to errors, plus
#      problem+json and header checks of the error model).
# The document is target/openapi.json, written by OpenApiDocumentTest during `./mvnw verify`
# (or: ./mvnw -q test -Dtest=OpenApiDocumentTest). The tools come from npm, pinned, into
# target/openapi-tools; nothing is installed globally. Needs node and npm.
# Usage: src/test/openapi/validate.sh [document]
set -euo pipefail
cd "$(dirname "$0")/../../.."

DOCUMENT="${1:-target/openapi.json}"
TOOLS=target/openapi-tools
# @redocly/cli 2.77.0 runs on Node 20.19+; @apidevtools/swagger-parser 13 needs Node 22.19+, 12.1.0 does not.
REDOCLY_CLI=2.77.0
SWAGGER_PARSER=12.1.0

[ -f "$DOCUMENT" ] || { echo "no $DOCUMENT: run ./mvnw verify (or -Dtest=OpenApiDocumentTest) first" >&2; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "node and npm are needed" >&2; exit 1; }

installed() { node -p "require('./$TOOLS/node_modules/$1/package.json').version" 2>/dev/null || true; }
if [ "$(installed @redocly/cli)" != "$REDOCLY_CLI" ] || [ "$(installed @apidevtools/swagger-parser)" != "$SWAGGER_PARSER" ]; then
  mkdir -p "$TOOLS"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$TOOLS" \
    "@redocly/cli@$REDOCLY_CLI" "@apidevtools/swagger-parser@$SWAGGER_PARSER"
fi

# Both run, so one run shows every problem; the script fails if either does.
failed=0
echo "== swagger-parser $SWAGGER_PARSER: $DOCUMENT"
node src/test/openapi/swagger-validate.mjs "$TOOLS" "$DOCUMENT" || failed=1

echo "== redocly lint $REDOCLY_CLI (redocly.yaml): $DOCUMENT"
# No telemetry or update check: the lint needs no network.
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1 \
  "$TOOLS/node_modules/.bin/redocly" lint --config redocly.yaml --format stylish "$DOCUMENT" || failed=1

if [ "$failed" -ne 0 ]; then
  echo "OpenAPI validation failed: $DOCUMENT" >&2
  exit 1
fi
echo "OpenAPI validation passed: $DOCUMENT"
