#!/bin/bash
# Writes operator/src/crd/kubernetes-definitions.json: the descriptions of the Kubernetes types the TeachTrack CRD
# embeds (affinity, tolerations, resources, conditions...) and of every type they reach, from the OpenAPI document of
# the Kubernetes source that k8s-binaries.sh builds from. The CRD generator copies them into the CRD, so that
# `kubectl explain` describes every field. Run by `make k8s-definitions` after a Kubernetes upgrade or when the CRD
# embeds another core type (the generator names the type it has no description for).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${SCRIPT_DIR}/../src/crd/kubernetes-definitions.json"
VERSION="$(sed -n 's/^K8S_VERSION="\{0,1\}\${K8S_VERSION:-\([^}]*\)}.*/\1/p' "${SCRIPT_DIR}/k8s-binaries.sh" | head -n 1)"
[ -n "$VERSION" ] || { echo "[k8s-definitions] cannot read the Kubernetes version from k8s-binaries.sh" >&2; exit 1; }
"${SCRIPT_DIR}/k8s-binaries.sh" >/dev/null
GOMODCACHE="$(PATH="/usr/local/go/bin:$PATH" go env GOMODCACHE)"
SWAGGER="${GOMODCACHE}/k8s.io/kubernetes@${VERSION}/api/openapi-spec/swagger.json"
[ -f "$SWAGGER" ] || { echo "[k8s-definitions] ${SWAGGER} is missing" >&2; exit 1; }

# The types the CRD embeds; everything they reference is added.
ROOTS='["io.k8s.api.core.v1.Affinity", "io.k8s.api.core.v1.Toleration", "io.k8s.api.core.v1.TopologySpreadConstraint",
  "io.k8s.api.core.v1.LocalObjectReference", "io.k8s.api.core.v1.ResourceRequirements",
  "io.k8s.apimachinery.pkg.apis.meta.v1.Condition"]'

jq --sort-keys --argjson roots "$ROOTS" --arg version "$VERSION" '
  .definitions as $all
  | def target: (."$ref" // .items."$ref" // .additionalProperties."$ref" // empty) | sub("^#/definitions/"; "");
    def refs($name): [$all[$name].properties // {} | .[] | target];
    def closure($names): ($names + [$names[] as $n | refs($n)[]] | unique) as $next
      | if ($next | length) == ($names | length) then $names else closure($next) end;
  { kubernetes: $version,
    definitions: (closure($roots) | map({key: ., value: ($all[.] | {description: (.description // ""),
      properties: ((.properties // {}) | map_values({description: (.description // "")}
        + ([target] | if length > 0 then {type: .[0]} else {} end)))})}) | from_entries) }
' "$SWAGGER" > "${OUT}.tmp"
mv "${OUT}.tmp" "$OUT"
echo "[k8s-definitions] wrote ${OUT} ($(jq '.definitions | length' "$OUT") types of Kubernetes ${VERSION})" >&2
