#!/usr/bin/env bash
# Builds the platform's container images with no Docker daemon and no registry, as OCI archives in a cache
# outside the repository:
#   base  the runtime images, each a Debian root file system made by mmdebstrap from the machine's Debian mirror:
#         java-runtime (trixie openjdk-21-jre-headless), mariadb (trixie mariadb-server 11.8),
#         mysql (sid mysql-server 9.7), redis (trixie redis-server)
#   app   the API image and the operator image, built by buildah from app-image/Dockerfile and operator/Dockerfile
#         (the recipe users run) with the locally built java-runtime as their base; needs `./mvnw package` first.
#
#   node  the real node's own images: the pod sandbox (pause), CoreDNS and metrics-server, each one static Go
#         binary in an otherwise empty image (the binaries come from `k8s-binaries.sh node`)
#
# Usage: images.sh [base|app|all|node|list|rootfs NAME|archive NAME|push REGISTRY]
# Each image is rebuilt only when its inputs change (the recipe, the packages, the copied build output).
# Progress goes to stderr; `list` prints "name reference archive size" per image.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE_ROOT="${TEACHTRACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/teachtrack}"
IMAGES_DIR="${CACHE_ROOT}/images"
STORAGE=(--root "${CACHE_ROOT}/buildah/storage" --runroot "${CACHE_ROOT}/buildah/run" --storage-driver overlay)
VERSION="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "${REPO_ROOT}/pom.xml" | head -1)"
VERSION="${VERSION%-SNAPSHOT}"
REGISTRY_PREFIX="localhost/teachtrack"
# The mirror the machine already uses (apt's deb822 or one-line sources), else Debian's own.
MIRROR="${DEBIAN_MIRROR:-$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"

log() { echo "[images] $*" >&2; }

# name|suite|packages|user name|uid|cmd (JSON)|version label source package
BASE_IMAGES=(
  "java-runtime|trixie|openjdk-21-jre-headless|teachtrack|185|[\"java\",\"-version\"]|openjdk-21-jre-headless"
  "mariadb|trixie|mariadb-server|mysql|999|[\"mariadbd\"]|mariadb-server"
  "mysql|sid|mysql-server-core mysql-client|mysql|999|[\"mysqld\"]|mysql-server-core"
  "redis|trixie|redis-server|redis|999|[\"redis-server\",\"--protected-mode\",\"no\",\"--save\",\"\",\"--appendonly\",\"no\"]|redis-server"
)
# The tag of each base image: the major.minor of its main package, e.g. mariadb 11.8, java-runtime 21.
declare -A TAG_OF=([java-runtime]=21 [mariadb]=11.8 [mysql]=9.7 [redis]=8.0)
# The node's own images (`images.sh node`), tagged with the version of what they run (see k8s-binaries.sh).
declare -A NODE_TAG_OF=([pause]=3.10 [coredns]=1.12.1 [metrics-server]=0.8.0)

require() {
  local missing=()
  for tool in mmdebstrap buildah skopeo jq; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] || { log "ERROR: missing ${missing[*]}: run 'make deps'"; exit 1; }
}

reference() { echo "${REGISTRY_PREFIX}/$1:$2"; }
archive() { echo "${IMAGES_DIR}/$1.oci.tar"; }
human() { numfmt --to=iec --suffix=B "$1"; }

# Builds one base image when its recipe changed. The recipe's text is the cache key.
build_base() {
  local spec="$1" name suite packages user uid cmd versioned
  IFS='|' read -r name suite packages user uid cmd versioned <<<"$spec"
  local tag="${TAG_OF[$name]}" dir="${IMAGES_DIR}/${name}"
  local key; key="$(printf '%s\n' "$spec" "$tag" "$MIRROR" "$(declare -f essential_hook customize_hook)" | sha256sum | cut -c1-16)"
  if [ -f "${dir}/key" ] && [ "$(cat "${dir}/key")" = "$key" ] && [ -f "$(archive "$name")" ] && [ -d "${dir}/rootfs/usr" ]; then
    log "${name}: up to date ($(reference "$name" "$tag"), $(human "$(stat -c %s "$(archive "$name")")"))"
    return
  fi
  local t0=$SECONDS
  log "${name}: building a ${suite} root file system with ${packages} (mmdebstrap, about a minute)"
  rm -rf "$dir"; mkdir -p "$dir"
  USER_NAME="$user" USER_ID="$uid" \
  # The mirror may serve a snapshot whose Release files are past their Valid-Until date (sid's are, after a
  # week); their signatures are still checked.
  mmdebstrap --variant=minbase --include="$packages" --aptopt='Acquire::Check-Valid-Until "false"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --essential-hook="$(declare -f essential_hook); essential_hook \"\$1\"" \
    --customize-hook="$(declare -f customize_hook); customize_hook \"\$1\" '${dir}/packages.txt'" \
    "$suite" "${dir}/rootfs.tar" "$MIRROR" >"${dir}/mmdebstrap.log" 2>&1 \
    || { tail -20 "${dir}/mmdebstrap.log" >&2; log "ERROR: mmdebstrap failed for ${name}"; exit 1; }
  local version; version="$(awk -F= -v p="$versioned" '$1 == p {print $2}' "${dir}/packages.txt")"
  log "${name}: ${versioned} ${version}; packing the OCI image"
  local ctr; ctr="$(buildah "${STORAGE[@]}" from scratch)"
  buildah "${STORAGE[@]}" add "$ctr" "${dir}/rootfs.tar" / >/dev/null
  buildah "${STORAGE[@]}" config --user "${uid}:${uid}" --cmd "$cmd" --workingdir / \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --label org.opencontainers.image.title="teachtrack-${name}" \
    --label org.opencontainers.image.version="$tag" \
    --label org.opencontainers.image.description="${name} from Debian ${suite} packages, for TeachTrack" \
    --label io.teachtrack.debian.suite="$suite" \
    --label io.teachtrack.debian.package="${versioned}=${version}" \
    --label io.teachtrack.debian.packages="$(grep -E "^(${packages// /|})=" "${dir}/packages.txt" | paste -sd, -)" \
    "$ctr"
  commit_and_export "$ctr" "$name" "$tag"
  rm -f "${dir}/rootfs.tar"
  echo "$key" > "${dir}/key"
  log "${name}: built in $((SECONDS - t0))s ($(human "$(stat -c %s "$(archive "$name")")"))"
}

# Runs inside mmdebstrap before the packages are installed: the image's user with a fixed numeric id (the
# packages' own adduser calls reuse it), and the man page directory openjdk's postinst expects.
essential_hook() {
  local root="$1"
  mkdir -p "$root/usr/share/man/man1"
  if ! grep -q "^${USER_NAME}:" "$root/etc/passwd"; then
    echo "${USER_NAME}:x:${USER_ID}:${USER_ID}::/nonexistent:/usr/sbin/nologin" >> "$root/etc/passwd"
    echo "${USER_NAME}:x:${USER_ID}:" >> "$root/etc/group"
    echo "${USER_NAME}:!:20000::::::" >> "$root/etc/shadow"
  fi
}

# Runs after the packages: no package caches, logs or data a package created at install time (the database
# pods initialise their own data directory), the database and runtime directories owned by the image user,
# and the installed package versions written out for the image's labels.
customize_hook() {
  local root="$1" versions="$2"
  chroot "$root" dpkg-query -W -f '${Package}=${Version}\n' > "$versions"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
    "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/var/lib/mysql/* "$root"/var/lib/redis/*
  # Mount points of the pods' volumes exist, owned by the image user (runc gives a tmpfs the mode of the
  # directory it covers).
  case "$USER_NAME" in
    mysql) mkdir -p "$root/var/lib/mysql" "$root/run/mysqld" "$root/etc/teachtrack" "$root/etc/teachtrack-secret" ;;
    redis) mkdir -p "$root/var/lib/redis" ;;
  esac
  for d in /var/lib/mysql /run/mysqld /var/lib/redis; do
    if [ -d "$root$d" ]; then chown "${USER_ID}:${USER_ID}" "$root$d"; chmod 0775 "$root$d"; fi
  done
  return 0
}

commit_and_export() {
  local ctr="$1" name="$2" tag="$3" ref; ref="$(reference "$name" "$tag")"
  buildah "${STORAGE[@]}" commit -q --rm "$ctr" "$ref" >/dev/null
  rm -f "$(archive "$name")"
  buildah "${STORAGE[@]}" push -q "$ref" "oci-archive:$(archive "$name"):${ref}" >/dev/null
  # Images replaced by a rebuild are not needed any more.
  buildah "${STORAGE[@]}" rmi --prune >/dev/null 2>&1 || true
  unpack "$name" "$ref"
}

# The tests run an image as a container runtime would (runc): its root file system and its OCI config,
# unpacked from the committed image into <cache>/images/<name>/{rootfs,config.json}.
unpack() {
  local name="$1" ref="$2" dir="${IMAGES_DIR}/$1" ctr mnt
  rm -rf "${dir}/rootfs"
  ctr="$(buildah "${STORAGE[@]}" from --pull-never "$ref")"
  mnt="$(buildah "${STORAGE[@]}" mount "$ctr")"
  cp -a "$mnt" "${dir}/rootfs"
  buildah "${STORAGE[@]}" inspect --type image "$ref" | jq '.OCIv1.config' > "${dir}/config.json"
  buildah "${STORAGE[@]}" umount "$ctr" >/dev/null
  buildah "${STORAGE[@]}" rm "$ctr" >/dev/null
}

# Builds the API or the operator image from its Dockerfile when the Dockerfile, the packaged app or the base changed.
build_app() {
  local name="$1" module="$2"
  local dir="${IMAGES_DIR}/${name}" context="${REPO_ROOT}/${module}"
  [ -f "${context}/target/quarkus-app/quarkus-run.jar" ] \
    || { log "ERROR: ${module}/target/quarkus-app is missing: run './mvnw package -DskipTests' first"; exit 1; }
  [ -f "$(archive java-runtime)" ] || { log "ERROR: the java-runtime base image is missing: run 'images.sh base'"; exit 1; }
  local base; base="$(reference java-runtime "${TAG_OF[java-runtime]}")"
  local key; key="$( { cat "${context}/Dockerfile" "${IMAGES_DIR}/java-runtime/key";
    (cd "${context}/target/quarkus-app" && find . -type f -print0 | sort -z | xargs -0 sha256sum); } | sha256sum | cut -c1-16)"
  if [ -f "${dir}/key" ] && [ "$(cat "${dir}/key")" = "$key" ] && [ -f "$(archive "$name")" ]; then
    log "${name}: up to date ($(reference "$name" "$VERSION"), $(human "$(stat -c %s "$(archive "$name")")"))"
    return
  fi
  local t0=$SECONDS
  mkdir -p "$dir"
  log "${name}: buildah bud -f ${module}/Dockerfile with base ${base}"
  local ctr; ctr="$(buildah "${STORAGE[@]}" bud -q --pull-never --network none --layers \
    --build-arg "JAVA_BASE=${base}" --label org.opencontainers.image.version="$VERSION" \
    --label org.opencontainers.image.title="$name" --label org.opencontainers.image.description="TeachTrack ${name#teachtrack-}" \
    -f "${context}/Dockerfile" "$context")"
  buildah "${STORAGE[@]}" tag "$ctr" "$(reference "$name" "$VERSION")"
  rm -f "$(archive "$name")"
  buildah "${STORAGE[@]}" push -q "$(reference "$name" "$VERSION")" \
    "oci-archive:$(archive "$name"):$(reference "$name" "$VERSION")" >/dev/null
  buildah "${STORAGE[@]}" rmi --prune >/dev/null 2>&1 || true
  unpack "$name" "$(reference "$name" "$VERSION")"
  echo "$key" > "${dir}/key"
  log "${name}: built in $((SECONDS - t0))s ($(human "$(stat -c %s "$(archive "$name")")"))"
}

# The node's pod sandbox ("pause") image: a static Go program that waits for SIGTERM and reaps the zombies of the
# pod's shared pid namespace, in an image of its own (no base, uid 65535).
build_pause() {
  local name=pause tag="${NODE_TAG_OF[pause]}" dir="${IMAGES_DIR}/pause"
  command -v go >/dev/null || { log "ERROR: Go is needed to build the pause image"; exit 1; }
  local src; src="$(mktemp -d)"
  cat > "${src}/main.go" <<'GO'
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range signals {
		if sig != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			var status syscall.WaitStatus
			if pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil); pid <= 0 || err != nil {
				break
			}
		}
	}
}
GO
  printf 'module teachtrack.local/pause\n\ngo 1.22\n' > "${src}/go.mod"
  local key; key="$( { cat "${src}/main.go"; go version; echo "$tag"; } | sha256sum | cut -c1-16)"
  if [ -f "${dir}/key" ] && [ "$(cat "${dir}/key")" = "$key" ] && [ -f "$(archive "$name")" ]; then
    log "${name}: up to date ($(reference "$name" "$tag"))"; rm -rf "$src"; return
  fi
  mkdir -p "$dir"
  (cd "$src" && GOTOOLCHAIN=local CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o pause .)
  local ctr; ctr="$(buildah "${STORAGE[@]}" from scratch)"
  buildah "${STORAGE[@]}" copy "$ctr" "${src}/pause" /pause >/dev/null
  buildah "${STORAGE[@]}" config --user 65535:65535 --entrypoint '["/pause"]' \
    --label org.opencontainers.image.title=teachtrack-pause --label org.opencontainers.image.version="$tag" "$ctr"
  commit_and_export "$ctr" "$name" "$tag"
  rm -rf "$src"
  echo "$key" > "${dir}/key"
  log "${name}: built ($(human "$(stat -c %s "$(archive "$name")")"))"
}

# An image holding one static binary and nothing else, run as a numeric non-root user: CoreDNS and metrics-server.
build_binary_image() { # <name> <tag> <binary path> <uid>
  local name="$1" tag="$2" binary="$3" uid="$4" dir="${IMAGES_DIR}/$1"
  [ -x "$binary" ] || { log "ERROR: ${binary} is missing: run operator/scripts/k8s-binaries.sh node"; exit 1; }
  local key; key="$( { sha256sum < "$binary"; echo "$tag $uid"; } | sha256sum | cut -c1-16)"
  if [ -f "${dir}/key" ] && [ "$(cat "${dir}/key")" = "$key" ] && [ -f "$(archive "$name")" ]; then
    log "${name}: up to date ($(reference "$name" "$tag"))"; return
  fi
  mkdir -p "$dir"
  local ctr; ctr="$(buildah "${STORAGE[@]}" from scratch)"
  buildah "${STORAGE[@]}" copy "$ctr" "$binary" "/${name}" >/dev/null
  buildah "${STORAGE[@]}" config --user "${uid}:${uid}" --entrypoint "[\"/${name}\"]" \
    --label org.opencontainers.image.title="teachtrack-${name}" --label org.opencontainers.image.version="$tag" "$ctr"
  commit_and_export "$ctr" "$name" "$tag"
  echo "$key" > "${dir}/key"
  log "${name}: built ($(human "$(stat -c %s "$(archive "$name")")"))"
}

build_node_images() {
  local bin; bin="$("${REPO_ROOT}/operator/scripts/k8s-binaries.sh" node | tail -n 1)"
  build_pause
  build_binary_image coredns "${NODE_TAG_OF[coredns]}" "${bin}/coredns" 65532
  build_binary_image metrics-server "${NODE_TAG_OF[metrics-server]}" "${bin}/metrics-server" 65532
}

all_names() { for spec in "${BASE_IMAGES[@]}"; do echo "${spec%%|*}"; done; echo teachtrack-api; echo teachtrack-operator; }
tag_of() { case "$1" in teachtrack-*) echo "$VERSION";; *) echo "${TAG_OF[$1]}";; esac; }

list() {
  for name in $(all_names); do
    local file; file="$(archive "$name")"
    if [ -f "$file" ]; then
      printf '%-20s %-45s %s %s\n' "$name" "$(reference "$name" "$(tag_of "$name")")" "$file" "$(human "$(stat -c %s "$file")")"
    else
      printf '%-20s %-45s (not built)\n' "$name" "$(reference "$name" "$(tag_of "$name")")"
    fi
  done
}

# Copies every built image to REGISTRY (e.g. registry.example.com/platform) with skopeo: REGISTRY/<name>:<tag>.
push() {
  local registry="${1:?usage: images.sh push REGISTRY}"
  for name in $(all_names); do
    local file; file="$(archive "$name")"
    [ -f "$file" ] || { log "ERROR: ${name} is not built: run 'make images'"; exit 1; }
    local target="${registry%/}/${name}:$(tag_of "$name")"
    log "pushing ${name} to ${target}"
    skopeo copy "oci-archive:${file}" "docker://${target}" >&2
  done
}

main() {
  mkdir -p "$IMAGES_DIR"
  case "${1:-all}" in
    base) require; for spec in "${BASE_IMAGES[@]}"; do build_base "$spec"; done ;;
    app) require; build_app teachtrack-api app-image; build_app teachtrack-operator operator ;;
    node) require; build_node_images ;;
    all) require; for spec in "${BASE_IMAGES[@]}"; do build_base "$spec"; done
         build_app teachtrack-api app-image; build_app teachtrack-operator operator ;;
    list) list ;;
    rootfs) echo "${IMAGES_DIR}/${2:?usage: images.sh rootfs NAME}/rootfs" ;;
    archive) archive "${2:?usage: images.sh archive NAME}" ;;
    push) push "${2:-}" ;;
    *) echo "usage: images.sh [base|app|all|node|list|rootfs NAME|archive NAME|push REGISTRY]" >&2; exit 2 ;;
  esac
}

main "$@"
