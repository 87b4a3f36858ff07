#!/usr/bin/env bash
# Builds the test Solr nodes' classpath (pom.xml beside this script) into NODE_DIR, unless it is newer
# than this folder's files: the outer build runs this before every test phase, and a nested Maven costs
# 10-20 s even when it has nothing to do.
# Usage: build.sh MAVEN_HOME NODE_DIR offline=B skipTests=B maven.test.skip=B (B: true, or anything else
# for false; the pom passes Maven's values, an unset property as its literal ${...}).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
maven_home="$1" node_dir="$2" offline="${3#offline=}"
if [ "${4#skipTests=}" = true ] || [ "${5#maven.test.skip=}" = true ]; then
  exit 0 # no tests, no nodes
fi
stamp="$node_dir/built.stamp"
if [ -f "$stamp" ] && [ -z "$(find "$here" -type f -newer "$stamp" -print -quit)" ]; then
  exit 0
fi
flags=(-B -q -f "$here/pom.xml" "-Dsolr.node.dir=$node_dir")
[ "$offline" = true ] && flags+=(-o)
rm -rf "$node_dir/lib" "$node_dir/classes" # a changed pom must not leave old jars behind
"$maven_home/bin/mvn" "${flags[@]}" compile
touch "$stamp"
