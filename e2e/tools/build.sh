#!/usr/bin/env bash
# Builds the e2e tool chain (etcd, Kubernetes control plane + kubectl, Pulumi CLI + Node.js host,
# Pulumi providers, Argo Rollouts, kwok) from Go modules into a cache, and copies the CRDs.
# Versions: versions.env beside this file. Usage: build.sh [TOOL...]   (default: all, in this order)
#   tools: etcd kube pulumi pulumi-kubernetes pulumi-random argo-rollouts kwok crds pulumi-github
# Idempotent: a tool whose $CACHE/<tool>-<version>/bin/<binary> exists is reused, never rebuilt.
# Env: AGENT_HIVE_TOOLS_CACHE (cache dir), BUILD_NICE (default 19).
# The whole script is one function call, so editing this file while it runs is safe.

main() {
  set -uo pipefail
  HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  REPO_ROOT=$(cd "$HERE/../.." && pwd)
  # shellcheck source=versions.env
  source "$HERE/versions.env"
  CACHE=${AGENT_HIVE_TOOLS_CACHE:-$HOME/.cache/agent-hive-e2e-tools}
  NICE=${BUILD_NICE:-19}
  ALL_TOOLS=(etcd kube pulumi pulumi-kubernetes pulumi-random argo-rollouts kwok crds pulumi-github actionlint)

  local tools=("$@")
  [ ${#tools[@]} -eq 0 ] && tools=("${ALL_TOOLS[@]}")
  local t
  for t in "${tools[@]}"; do
    case " ${ALL_TOOLS[*]} " in *" $t "*) ;; *) die "unknown tool '$t' (known: ${ALL_TOOLS[*]})" ;; esac
  done

  exec 3>&1
  preflight
  mkdir -p "$CACHE/logs" "$CACHE/.work"

  local failed=() ok=()
  for t in "${tools[@]}"; do
    log "=== $t"
    ( set -e; "build_${t//-/_}" )
    if [ $? -eq 0 ]; then ok+=("$t"); else failed+=("$t"); log "!!! $t FAILED (see messages above; continuing)"; fi
  done

  write_env
  echo
  log "=== versions (each tool's own output, first line)"
  print_versions
  echo
  log "built/reused: ${ok[*]:-none}"
  if [ ${#failed[@]} -gt 0 ]; then
    log "FAILED: ${failed[*]}"
    echo "build.sh: failed to build: ${failed[*]}" >&2
    return 1
  fi
  return 0
}

oneline() { echo "$1" | tr '\n\t' '  ' | sed 's/  */ /g; s/ $//'; }
die() { echo "build.sh: $*" >&2; exit 1; }
log() { echo "[$(date -u +%H:%M:%S)] $*"; }

preflight() {
  if ! command -v go >/dev/null 2>&1; then
    if [ -x /usr/local/go/bin/go ]; then export PATH=/usr/local/go/bin:$PATH
    else die "Go not found: need Go >= 1.26 on PATH (or /usr/local/go/bin/go)"; fi
  fi
  local gv; gv=$(go env GOVERSION)
  case "$gv" in go1.2[6-9]*|go1.[3-9]*) ;; *) die "Go $gv is too old: need Go >= 1.26 (modules here declare go 1.26.0)" ;; esac

  # The build settings every go command below uses (one CPU for the Go scheduler and one package at a time).
  export GOFLAGS="-buildvcs=false -p=1" GOMAXPROCS=1 CGO_ENABLED=0 GOWORK=off GOTOOLCHAIN=local
  unset GOOS GOARCH

  if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then TIMECMD=/usr/bin/time
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && apt-get install -y -qq time >/dev/null 2>&1; then TIMECMD=/usr/bin/time
  else TIMECMD=; echo "build.sh: note: GNU time (/usr/bin/time) missing, peak RSS will not be logged (apt-get install time)" >&2; fi

  if ! command -v jq >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get install -y -qq jq >/dev/null 2>&1 || true; fi
    command -v jq >/dev/null || die "jq not found (needed to edit provider schemas and go.mod json): apt-get install jq"
  fi
  check_lock
  # One small proxy round-trip up front, so a missing/refusing proxy fails here in one line.
  local err
  if ! err=$(go list -m "go.etcd.io/etcd/server/v3@$ETCD_VERSION" 2>&1 >/dev/null); then
    die "Go module proxy ($(go env GOPROXY)) unreachable or refusing go.etcd.io/etcd/server/v3@$ETCD_VERSION: $(oneline "$err")"
  fi
}

# Pulumi versions in versions.env must equal the npm packages actually locked.
check_lock() {
  local lock=$REPO_ROOT/package-lock.json pkg want got
  [ -f "$lock" ] || die "$lock not found (needed to check the Pulumi versions)"
  for pair in "@pulumi/pulumi=$PULUMI_VERSION" "@pulumi/kubernetes=$PULUMI_KUBERNETES_VERSION" \
              "@pulumi/random=$PULUMI_RANDOM_VERSION" "@pulumi/github=$PULUMI_GITHUB_VERSION"; do
    pkg=${pair%%=*}; want=${pair#*=}
    if command -v node >/dev/null; then
      got=$(node -e 'const l=require(process.argv[1]);const p=(l.packages||{})["node_modules/"+process.argv[2]];console.log(p?p.version:"")' "$lock" "$pkg")
    elif command -v jq >/dev/null; then
      got=$(jq -r --arg k "node_modules/$pkg" '.packages[$k].version // ""' "$lock")
    else die "need node or jq to read package-lock.json"; fi
    [ "$got" = "$want" ] || die "version mismatch: versions.env pins $pkg $want but package-lock.json has '${got:-none}' (edit e2e/tools/versions.env)"
  done
}

# timed LABEL CMD... : runs CMD niced under GNU time; appends "LABEL wall_s peak_rss_kb" to $STATS.
timed() {
  local label=$1; shift
  local tf rc wall rss; tf=$(mktemp)
  local t0=$SECONDS
  if [ -n "$TIMECMD" ]; then nice -n "$NICE" "$TIMECMD" -v -o "$tf" "$@"; rc=$?
  else nice -n "$NICE" "$@"; rc=$?; fi
  wall=$((SECONDS - t0))
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf" 2>/dev/null); rss=${rss:-0}
  rm -f "$tf"
  echo "$label $wall $rss" >> "$STATS"
  log "    $label: ${wall}s, peak RSS $((rss / 1024)) MiB, exit $rc" >&3   # fd 3 = the script's stdout
  return $rc
}

# gocmd LABEL go ARGS... : a go command whose failure is summed up in one line naming the module.
gocmd() {
  local label=$1; shift
  local out; out=$(mktemp)
  local rc=0
  if [ -n "${GOCMD_QUIET:-}" ]; then  # command's stdout kept out of the log (timing line still printed)
    timed "$label" "$@" > >(cat > "$out") 2> >(tee -a "$out" >&2) || rc=$?
  else
    timed "$label" "$@" > >(tee "$out") 2> >(tee -a "$out" >&2) || rc=$?
  fi
  sleep 0.2
  if [ $rc -ne 0 ]; then
    local line noise='^go: (downloading|added|upgraded|finding|found|warning|to switch)|^[[:space:]]+go get '
    line=$(grep -v -E "$noise" "$out" | grep -m1 -E '403|404|410|reading |verifying |not available|cannot |missing |undefined|[Ee]rror' ||
           grep -v -E "$noise" "$out" | tail -1)
    echo "build.sh: $TOOL: '$label' failed: $line" >&2
  fi
  rm -f "$out"
  return $rc
}

# start_tool NAME VERSION BINARY: sets DEST/STAGE/WORK/STATS; returns 1 (= reuse) if the binary is cached.
start_tool() {
  TOOL=$1; VER=$2; DEST=$CACHE/$1-$2
  if [ -x "$DEST/bin/$3" ]; then log "    reuse $DEST/bin/$3"; return 1; fi
  rm -rf "$DEST" "$CACHE/.stage-$1-"*   # leftovers of an earlier failed/interrupted build of this tool
  STAGE=$(mktemp -d "$CACHE/.stage-$1-XXXXXX"); mkdir -p "$STAGE/bin"
  WORK=$CACHE/.work/$1-$2; rm -rf "$WORK"; mkdir -p "$WORK"
  STATS=$STAGE/build-stats.txt; : > "$STATS"
  T0=$SECONDS
  cd "$WORK"
  go mod init "local.invalid/e2e-tools/$1" >/dev/null 2>&1
  go mod edit -go=1.26.0
  return 0
}

# finish_tool: records totals, then renames the staged directory into place (atomic on one file system).
finish_tool() {
  local wall=$((SECONDS - T0)) rss
  rss=$(awk 'BEGIN{m=0} {if ($3>m) m=$3} END{print m}' "$STATS")
  {
    echo "total $wall $rss"
    echo "# label wall_seconds peak_rss_kb (largest single process, GNU time); go $(go env GOVERSION), GOFLAGS=$GOFLAGS GOMAXPROCS=$GOMAXPROCS nice $NICE, built $(date -u +%FT%TZ)"
  } >> "$STATS"
  chmod 755 "$STAGE"
  mv -T "$STAGE" "$DEST"
  echo "$(date -u +%FT%TZ) $TOOL $VER wall=${wall}s peak_rss=$((rss / 1024))MiB" >> "$CACHE/logs/build-times.log"
  log "    $TOOL $VER built in ${wall}s (peak RSS $((rss / 1024)) MiB) -> $DEST/bin"
}

origin_hash() { go list -m -f '{{with .Origin}}{{.Hash}}{{end}}' "$1" 2>/dev/null; }
origin_time() { go list -m -f '{{if .Time}}{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}{{end}}' "$1" 2>/dev/null; }
mod_dir() { go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'; }

# ---------------------------------------------------------------- etcd
build_etcd() {
  start_tool etcd "$ETCD_VERSION" etcd || return 0
  local m
  gocmd download go get go.etcd.io/etcd/server/v3@"$ETCD_VERSION" \
    $(for m in api/v3 client/pkg/v3 client/v3 pkg/v3; do echo "go.etcd.io/etcd/$m@$ETCD_VERSION"; done)
  local sha; sha=$(origin_hash go.etcd.io/etcd/server/v3@"$ETCD_VERSION")
  # The proxy's .info for etcd carries no Origin: then GitSHA keeps etcd's own default.
  gocmd build go build -trimpath -ldflags "-s -w${sha:+ -X go.etcd.io/etcd/api/v3/version.GitSHA=${sha:0:9}}" \
    -o "$STAGE/bin/etcd" go.etcd.io/etcd/server/v3
  finish_tool
}

# ---------------------------------------------------------------- kube-apiserver, -controller-manager, -scheduler, kubectl
build_kube() {
  start_tool kubernetes "$KUBERNETES_VERSION" kubectl || return 0
  local v=$KUBERNETES_VERSION gomod staging s minor
  gomod=$(go mod download -json "k8s.io/kubernetes@$v" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  [ -f "$gomod" ] || { echo "build.sh: kube: Go module proxy did not serve k8s.io/kubernetes@$v" >&2; return 1; }
  # Staging modules are required at v0.0.0 and replaced by ./staging/src/k8s.io/X upstream; pin each to v0.MINOR.PATCH.
  staging=$(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gomod")
  [ -n "$staging" ] || { echo "build.sh: kube: no staging replaces found in $gomod" >&2; return 1; }
  for s in $staging; do go mod edit -replace "$s=$s@v0.${v#v1.}"; done
  echo "    replaced $(echo $staging | wc -w) staging modules with v0.${v#v1.}"
  local pkgs=(k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
              k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
  gocmd download go get $(for s in "${pkgs[@]}"; do echo "$s@$v"; done)
  local commit date ld=("-s" "-w"); commit=$(origin_hash "k8s.io/kubernetes@$v"); date=$(origin_time "k8s.io/kubernetes@$v")
  minor=${v#v1.}; minor=${minor%%.*}
  for s in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=("-X" "$s.gitVersion=$v" "-X" "$s.gitMajor=1" "-X" "$s.gitMinor=$minor" "-X" "$s.gitTreeState=clean")
    [ -z "$commit" ] || ld+=("-X" "$s.gitCommit=$commit")   # the proxy's .info has no Origin for this module
    [ -z "$date" ] || ld+=("-X" "$s.buildDate=$date")        # commit time of the tag, for reproducible builds
  done
  gocmd build go build -trimpath -ldflags "${ld[*]}" -o "$STAGE/bin/" "${pkgs[@]}"
  finish_tool
}

# ---------------------------------------------------------------- pulumi CLI + language host + dynamic-provider shim
build_pulumi() {
  start_tool pulumi "v$PULUMI_VERSION" pulumi-language-nodejs || return 0
  local v=v$PULUMI_VERSION src=$HERE/src/pulumi-language-nodejs
  [ -d "$src" ] || { echo "build.sh: pulumi: $src is missing: the language host source the proxy does not serve (README: src/)" >&2; return 1; }
  # The language host module (sdk/nodejs/cmd/pulumi-language-nodejs/v3) is not served by the proxy: its
  # main package is kept in src/ (copied from pulumi/pulumi@$PULUMI_COMMIT) and built as a package of this wrapper.
  mkdir -p cmd/pulumi-language-nodejs
  cp "$src"/*.go cmd/pulumi-language-nodejs/
  # Start from the host's own go.mod requirements/go.sum, minus its ../ directory replaces.
  sed -e 's#^module .*#module local.invalid/e2e-tools/pulumi#' \
      -e '/=> \.\./d' "$src/go.mod.upstream" > go.mod
  cp "$src/go.sum.upstream" go.sum
  go mod edit -go=1.26.0 -replace "github.com/atotto/clipboard=$PULUMI_CLIPBOARD_REPLACE"
  gocmd download go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$v" "github.com/pulumi/pulumi/sdk/v3@$v"
  go mod edit -tool github.com/pulumi/pulumi/pkg/v3/cmd/pulumi   # keeps `go mod tidy` from dropping it
  gocmd tidy go mod tidy
  local ld="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$v"
  gocmd build go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ld" -o "$STAGE/bin/" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi ./cmd/pulumi-language-nodejs
  # Shell shim used for dynamic providers only; ships in the sdk/v3 module zip.
  local sdk; sdk=$(mod_dir "github.com/pulumi/pulumi/sdk/v3@$v")
  install -m 755 "$sdk/nodejs/dist/pulumi-resource-pulumi-nodejs" "$STAGE/bin/pulumi-resource-pulumi-nodejs"
  finish_tool
}

# Providers: copy cmd/<main> from the module cache into the wrapper and generate the gitignored schema-embed.json.
# provider_main MODULE@VER CMD_SUBDIR VERSION
provider_main() {
  local dir; dir=$(mod_dir "$1")
  [ -d "$dir/$2" ] || { echo "build.sh: $TOOL: $2 not found in module $1" >&2; return 1; }
  mkdir -p "$2"; cp "$dir/$2"/*.go "$2"/
  local f
  for f in "$dir/$2"/*.json; do [ -e "$f" ] && cp "$f" "$2"/; done
  chmod -R u+w "$2"
  rm -f "$2"/*_test.go
  [ -f "$2/schema.json" ] || { echo "build.sh: $TOOL: $2/schema.json missing in module $1" >&2; return 1; }
  jq --arg v "$3" '.version = $v' "$2/schema.json" > "$2/schema-embed.json"
  if [ -f "$2/terraform-mapping.json" ] && [ ! -f "$2/terraform-mapping-embed.json" ]; then
    cp "$2/terraform-mapping.json" "$2/terraform-mapping-embed.json"
  fi
  rm -f "$2/schema.json"   # only the -embed copy is embedded; keeps go:embed patterns honest
}

# tag_pseudo MODULE_ROOT TAG MAJOR: pseudo-version (vMAJOR.0.0-<UTC commit time>-<12 hex>) of the commit a repo tag
# points at, via the proxy's "+incompatible" view of the repository root (which has no go.mod).
tag_pseudo() {
  local j h t
  j=$(go list -m -f '{{with .Origin}}{{.Hash}}{{end}} {{if .Time}}{{.Time.UTC.Format "20060102150405"}}{{end}}' "$1@$2+incompatible" 2>&1) || { echo "$j" | tail -1 >&2; return 1; }
  h=${j% *}; t=${j#* }
  [ -n "$h" ] && [ -n "$t" ] || return 1
  echo "v$3.0.0-$t-${h:0:12}"
}

# ---------------------------------------------------------------- pulumi-resource-kubernetes
build_pulumi_kubernetes() {
  local ver=$PULUMI_KUBERNETES_VERSION mver=$PULUMI_KUBERNETES_MODULE_VERSION
  local mod=github.com/pulumi/pulumi-kubernetes/provider/v4 sdkmod=github.com/pulumi/pulumi-kubernetes/sdk/v4 err=
  [ -n "$mver" ] || mver=$(tag_pseudo github.com/pulumi/pulumi-kubernetes "v$ver" 4 2>/dev/null) || mver=
  if [ -z "$mver" ] || ! err=$(go mod download "$mod@$mver" 2>&1); then
    echo "build.sh: pulumi-kubernetes: Go module proxy does not serve $mod for $ver (${mver:-commit of tag v$ver not resolvable: v$ver+incompatible refused}${err:+: $(oneline "$err")}); pin @pulumi/kubernetes to a release it serves (README)" >&2
    return 1
  fi
  start_tool pulumi-resource-kubernetes "v$ver" pulumi-resource-kubernetes || return 0
  # Upstream replaces sdk/v4 => ../sdk (same commit). sdk/vX.Y.Z tags sit on side commits holding only sdk/, and
  # the proxy serves those tags rather than main-branch pseudo-versions: use the tag of the same release.
  go mod edit -replace "$sdkmod=$sdkmod@v$ver"
  gocmd download go get "$mod@$mver"
  provider_main "$mod@$mver" cmd/pulumi-resource-kubernetes "$ver"
  gocmd tidy go mod tidy
  gocmd build go build -trimpath -ldflags "-s -w -X $mod/pkg/version.Version=$ver" \
    -o "$STAGE/bin/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes
  finish_tool
}

# ---------------------------------------------------------------- pulumi-resource-random
build_pulumi_random() {
  local mod=github.com/pulumi/pulumi-random/provider/v4 mver=$PULUMI_RANDOM_MODULE_VERSION err=
  if [ -z "$mver" ] || ! err=$(go mod download "$mod@$mver" 2>&1); then
    echo "    pulumi-resource-random $PULUMI_RANDOM_VERSION from src/ (its provider module is not served${err:+: $(oneline "$err")})"
    build_vendored_provider random "$PULUMI_RANDOM_VERSION" "$HERE/src/pulumi-random-v$PULUMI_RANDOM_VERSION"
    return
  fi
  start_tool pulumi-resource-random "v$PULUMI_RANDOM_VERSION" pulumi-resource-random || return 0
  local dir gomod; dir=$(mod_dir "$mod@$mver"); gomod=$dir/go.mod
  # Copy upstream's non-directory replaces; recreate the ./shim module (absent from module zips).
  copy_replaces "$gomod"
  make_random_shim "$gomod"
  gocmd get go get "$mod@$mver"
  provider_main "$mod@$mver" cmd/pulumi-resource-random "$PULUMI_RANDOM_VERSION"
  gocmd tidy go mod tidy
  gocmd build go build -trimpath -ldflags "-s -w -X $mod/pkg/version.Version=$PULUMI_RANDOM_VERSION" \
    -o "$STAGE/bin/pulumi-resource-random" ./cmd/pulumi-resource-random
  finish_tool
}

# copy_replaces GOMOD: every "A => B VERSION" replace of an upstream go.mod (directory replaces skipped).
copy_replaces() {
  go mod edit -json "$1" | jq -r '.Replace // [] | .[] | select(.New.Version != null) |
      "\(.Old.Path)\(if .Old.Version then "@"+.Old.Version else "" end)=\(.New.Path)@\(.New.Version)"' |
  while read -r r; do echo "    replace $r"; go mod edit -replace "$r"; done
}

make_random_shim() {
  local tfp tfprand
  tfp=$(go mod edit -json "$1" | jq -r '.Require[] | select(.Path=="github.com/hashicorp/terraform-plugin-framework") | .Version')
  tfprand=$(go mod edit -json "$1" | jq -r '.Require[] | select(.Path=="github.com/terraform-providers/terraform-provider-random") | .Version')
  mkdir -p shim
  printf '%s\n' "module github.com/terraform-providers/terraform-provider-random/shim" "" "go 1.26.0" "" \
    "require github.com/hashicorp/terraform-plugin-framework $tfp" \
    "require github.com/terraform-providers/terraform-provider-random $tfprand" > shim/go.mod
  printf '%s\n' "package shim" "" "import (" \
    '	tfpf "github.com/hashicorp/terraform-plugin-framework/provider"' \
    '	"github.com/terraform-providers/terraform-provider-random/internal/provider"' ")" "" \
    "func NewProvider() tfpf.Provider { return provider.New() }" > shim/shim.go
  go mod edit -replace github.com/terraform-providers/terraform-provider-random/shim=./shim
}

# build_vendored_provider NAME VERSION SRC: the provider module rebuilt from the files kept in src/ (copied from the
# provider repository at its release tag: go.mod, the Go packages the binary needs, embedded json; schema gzipped).
# The wrapper IS the upstream provider module (same module path and go.mod), minus its directory replaces.
build_vendored_provider() {
  local name=$1 ver=$2 src=$3
  start_tool "pulumi-resource-$name" "v$ver" "pulumi-resource-$name" || return 0
  [ -d "$src" ] || { echo "build.sh: $TOOL: $src is missing: the upstream source the proxy does not serve (README: src/)" >&2; return 1; }
  rm -f go.mod go.sum
  cp -r "$src"/. .
  mv go.mod.upstream go.mod
  if [ -f shim/go.mod.upstream ]; then mv shim/go.mod.upstream shim/go.mod; fi
  if [ -f go.sum.upstream.gz ]; then gunzip -c go.sum.upstream.gz > go.sum; rm -f go.sum.upstream.gz; fi  # upstream's checksums
  stub_bridge_codegen
  local cmd=cmd/pulumi-resource-$name mod r
  gunzip -c "$cmd/schema.json.gz" | jq --arg v "$ver" '.version = $v' > "$cmd/schema-embed.json"
  rm -f "$cmd/schema.json.gz"
  mod=$(go mod edit -json | jq -r .Module.Path)
  for r in $(go mod edit -json | jq -r '.Replace // [] | .[] | select(.New.Version == null and (.New.Path|startswith("../"))) | .Old.Path'); do
    case "$r" in
      github.com/integrations/terraform-provider-github/v6)  # ../upstream = git submodule at the upstream tag, no patches
        go mod edit -replace "$r=$r@$PULUMI_GITHUB_UPSTREAM_VERSION"; echo "    replace $r => $PULUMI_GITHUB_UPSTREAM_VERSION" ;;
      *) echo "build.sh: $TOOL: no rule for directory replace of $r" >&2; return 1 ;;
    esac
  done
  # Not `go mod tidy`: it wants go.mod files of modules the proxy refuses (test-only corners of the bridge's graph,
  # e.g. pulumi-language-dotnet pseudo-versions). Resolving just the binary's imports needs only served modules.
  GOCMD_QUIET=1 gocmd resolve go list -mod=mod -deps "./$cmd"
  gocmd build go build -mod=mod -trimpath -ldflags "-s -w -X $mod/pkg/version.Version=$ver" -o "$STAGE/bin/pulumi-resource-$name" "./$cmd"
  finish_tool
}

# The terraform bridge imports the C# and YAML program generators (pulumi-language-dotnet/v3/codegen,
# pulumi-yaml/pkg/pulumiyaml/codegen) for tfgen's doc-example conversion and C# schema metadata only: never reached
# when a provider serves requests. The proxy refuses every version of pulumi-language-dotnet/v3 and the
# pulumi-yaml versions the bridge wants (403), so both are replaced by local stub modules with the same API surface.
stub_bridge_codegen() {
  mkdir -p stubs/dotnet/codegen stubs/yaml/pkg/pulumiyaml/codegen
  local gen='import (
	"errors"

	"github.com/hashicorp/hcl/v2"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
)

// GenerateProgram is a stub (see e2e/tools/build.sh stub_bridge_codegen).
func GenerateProgram(program *pcl.Program) (map[string][]byte, hcl.Diagnostics, error) {
	return nil, nil, errors.New("program generation not available in this e2e build")
}'
  printf '%s\n' "module github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3" "" "go 1.26.0" > stubs/dotnet/go.mod
  printf '%s\n' "module github.com/pulumi/pulumi-yaml" "" "go 1.26.0" > stubs/yaml/go.mod
  printf '%s\n\n%s\n' "package codegen" "$gen" > stubs/yaml/pkg/pulumiyaml/codegen/gen.go
  printf '%s\n\n%s\n' "package codegen" "$gen" > stubs/dotnet/codegen/gen.go
  cat >> stubs/dotnet/codegen/gen.go <<'EOS'

type CSharpPackageInfo struct {
	PackageReferences            map[string]string `json:"packageReferences,omitempty"`
	Namespaces                   map[string]string `json:"namespaces,omitempty"`
	RootNamespace                string            `json:"rootNamespace,omitempty"`
	Compatibility                string            `json:"compatibility,omitempty"`
	DictionaryConstructors       bool              `json:"dictionaryConstructors,omitempty"`
	ProjectReferences            []string          `json:"projectReferences,omitempty"`
	LiftSingleValueMethodReturns bool              `json:"liftSingleValueMethodReturns,omitempty"`
	RespectSchemaVersion         bool              `json:"respectSchemaVersion,omitempty"`
}

type CSharpPropertyInfo struct {
	Name string `json:"name,omitempty"`
}

type CSharpResourceInfo struct {
	Name string `json:"name,omitempty"`
}
EOS
  go mod edit -replace github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3=./stubs/dotnet \
              -replace github.com/pulumi/pulumi-yaml=./stubs/yaml
  echo "    replace pulumi-language-dotnet/v3, pulumi-yaml => local stubs (tfgen-only code)"
}

# ---------------------------------------------------------------- pulumi-resource-github
build_pulumi_github() {
  local mod=github.com/pulumi/pulumi-github/provider/v6 mver=$PULUMI_GITHUB_MODULE_VERSION
  if go mod download "$mod@$mver" >/dev/null 2>&1; then
    echo "    note: the proxy now serves $mod@$mver; this script still builds the same tag from src/" >&2
  fi
  # provider/v6 is not served by the proxy: the provider package is kept in src/pulumi-github (tag v$PULUMI_GITHUB_VERSION).
  build_vendored_provider github "$PULUMI_GITHUB_VERSION" "$HERE/src/pulumi-github"
}

# ---------------------------------------------------------------- argo-rollouts controller + kubectl plugin
build_argo_rollouts() {
  start_tool argo-rollouts "$ARGO_ROLLOUTS_VERSION" kubectl-argo-rollouts || return 0
  local mod=github.com/argoproj/argo-rollouts v=$ARGO_ROLLOUTS_VERSION
  gocmd download go mod download -json "$mod@$v" >/dev/null
  copy_replaces "$(mod_dir "$mod@$v")/go.mod"
  gocmd get go get "$mod/cmd/rollouts-controller@$v" "$mod/cmd/kubectl-argo-rollouts@$v"
  local commit date vp=$mod/utils/version; commit=$(origin_hash "$mod@$v"); date=$(origin_time "$mod@$v")
  # With gitCommit + gitTag + clean, GetVersion() reports the tag itself (as release builds do).
  gocmd build go build -trimpath -ldflags "-s -w -X $vp.version=${v#v} -X $vp.gitTag=$v -X $vp.gitTreeState=clean${commit:+ -X $vp.gitCommit=$commit}${date:+ -X $vp.buildDate=$date}" \
    -o "$STAGE/bin/" "$mod/cmd/rollouts-controller" "$mod/cmd/kubectl-argo-rollouts"
  finish_tool
}

# ---------------------------------------------------------------- kwok (+ kwokctl, + the stage configs it needs)
build_kwok() {
  start_tool kwok "$KWOK_VERSION" kwok || return 0
  local mod=sigs.k8s.io/kwok v=$KWOK_VERSION
  gocmd download go get "$mod/cmd/kwok@$v" "$mod/cmd/kwokctl@$v"
  gocmd build go build -trimpath -ldflags "-s -w -X $mod/pkg/consts.Version=${v#v}" \
    -o "$STAGE/bin/" "$mod/cmd/kwok" "$mod/cmd/kwokctl"
  # v0.8.0 has no built-in stages: ship the ones kwokctl loads.
  local dir; dir=$(mod_dir "$mod@$v")
  mkdir -p "$STAGE/stages"
  cp "$dir"/kustomize/stage/node/fast/node-initialize.yaml \
     "$dir"/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
     "$dir"/kustomize/stage/pod/fast/pod-ready.yaml "$dir"/kustomize/stage/pod/fast/pod-complete.yaml \
     "$dir"/kustomize/stage/pod/fast/pod-delete.yaml "$STAGE/stages/"
  chmod 644 "$STAGE"/stages/*
  finish_tool
}

# ---------------------------------------------------------------- actionlint (npm run lint:workflows)
build_actionlint() {
  start_tool actionlint "$ACTIONLINT_VERSION" actionlint || return 0
  local mod=github.com/rhysd/actionlint v=$ACTIONLINT_VERSION
  gocmd download go get "$mod/cmd/actionlint@$v"
  gocmd build go build -trimpath -ldflags "-s -w -X $mod.version=$v" -o "$STAGE/bin/" "$mod/cmd/actionlint"
  finish_tool
}

# ---------------------------------------------------------------- CRDs (prometheus-operator, argo-rollouts)
build_crds() {
  local d dir
  d=$CACHE/crds-prometheus-operator-$PROMETHEUS_OPERATOR_VERSION
  if [ -f "$d/monitoring.coreos.com_servicemonitors.yaml" ]; then log "    reuse $d"
  else
    dir=$(mod_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")
    [ -d "$dir/example/prometheus-operator-crd" ] || { echo "build.sh: crds: prometheus-operator@$PROMETHEUS_OPERATOR_VERSION not served or has no example/prometheus-operator-crd" >&2; return 1; }
    copy_dir_atomic "$dir/example/prometheus-operator-crd" "$d"
  fi
  d=$CACHE/crds-argo-rollouts-$ARGO_ROLLOUTS_VERSION
  if [ -f "$d/rollout-crd.yaml" ]; then log "    reuse $d"
  else
    dir=$(mod_dir "github.com/argoproj/argo-rollouts@$ARGO_ROLLOUTS_VERSION")
    [ -d "$dir/manifests/crds" ] || { echo "build.sh: crds: argo-rollouts@$ARGO_ROLLOUTS_VERSION not served or has no manifests/crds" >&2; return 1; }
    copy_dir_atomic "$dir/manifests/crds" "$d"
  fi
}

copy_dir_atomic() {
  local tmp; tmp=$(mktemp -d "$CACHE/.stage-crds-XXXXXX")
  cp "$1"/*.yaml "$tmp"/ && rm -f "$tmp/kustomization.yaml" && chmod 644 "$tmp"/*.yaml && chmod 755 "$tmp" && rm -rf "$2" && mv -T "$tmp" "$2"
  log "    $(ls "$2" | wc -l) CRD files -> $2"
}

# ---------------------------------------------------------------- env.sh + version report
bin_dirs() {
  local d
  for d in "$CACHE/etcd-$ETCD_VERSION" "$CACHE/kubernetes-$KUBERNETES_VERSION" "$CACHE/pulumi-v$PULUMI_VERSION" \
           "$CACHE/pulumi-resource-kubernetes-v$PULUMI_KUBERNETES_VERSION" "$CACHE/pulumi-resource-random-v$PULUMI_RANDOM_VERSION" \
           "$CACHE/pulumi-resource-github-v$PULUMI_GITHUB_VERSION" \
           "$CACHE/argo-rollouts-$ARGO_ROLLOUTS_VERSION" "$CACHE/kwok-$KWOK_VERSION" "$CACHE/actionlint-$ACTIONLINT_VERSION"; do
    [ -d "$d/bin" ] && echo "$d/bin"
  done
}

write_env() {
  local p; p=$(bin_dirs | paste -sd: -)
  cat > "$CACHE/env.sh.tmp" <<EOF
# Generated by e2e/tools/build.sh $(date -u +%FT%TZ). Source it: . "$CACHE/env.sh"
export PATH="$p\${PATH:+:\$PATH}"
export E2E_TOOLS_CACHE="$CACHE"
export E2E_CRDS_PROMETHEUS_OPERATOR="$CACHE/crds-prometheus-operator-$PROMETHEUS_OPERATOR_VERSION"
export E2E_CRDS_ARGO_ROLLOUTS="$CACHE/crds-argo-rollouts-$ARGO_ROLLOUTS_VERSION"
export E2E_KWOK_STAGES="$CACHE/kwok-$KWOK_VERSION/stages"
# Pulumi: never download plugins, use the ones on PATH, no update check.
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_SKIP_UPDATE_CHECK=true
EOF
  mv "$CACHE/env.sh.tmp" "$CACHE/env.sh"
  log "wrote $CACHE/env.sh  (PATH=$p:\$PATH)"
}

print_versions() {
  local b line
  ver1() { # ver1 BIN ARGS... : first non-empty output line
    [ -x "$1" ] || { printf '%-32s %s\n' "$(basename "$1")" "(not built)"; return; }
    line=$("$@" 2>&1 | grep -m1 -v '^[[:space:]]*$'); printf '%-32s %s\n' "$(basename "$1")" "$line"
  }
  b=$CACHE/etcd-$ETCD_VERSION/bin;               ver1 "$b/etcd" --version
  b=$CACHE/kubernetes-$KUBERNETES_VERSION/bin;   ver1 "$b/kube-apiserver" --version; ver1 "$b/kube-controller-manager" --version
                                                 ver1 "$b/kube-scheduler" --version; ver1 "$b/kubectl" version --client
  b=$CACHE/pulumi-v$PULUMI_VERSION/bin;          ver1 "$b/pulumi" version; ver1 "$b/pulumi-language-nodejs" -version
  # Providers have no --version flag: ask the built pulumi to start each one and read its schema over gRPC.
  local pl=$CACHE/pulumi-v$PULUMI_VERSION/bin/pulumi name v ph; ph=$(mktemp -d)
  pver() {
    [ -x "$1" ] || return 1
    if [ -x "$pl" ]; then
      line=$(PULUMI_HOME=$ph PULUMI_SKIP_UPDATE_CHECK=true timeout 120 "$pl" package get-schema "$1" 2>&1 |
             jq -r '"\(.name) \(.version) (schema served by the plugin)"' 2>/dev/null) || line="(does not start under pulumi)"
    else line="(built; pulumi not built, cannot query)"; fi
    printf '%-32s %s\n' "$(basename "$1")" "$line"
  }
  for name in kubernetes:$PULUMI_KUBERNETES_VERSION random:$PULUMI_RANDOM_VERSION github:$PULUMI_GITHUB_VERSION; do
    IFS=: read -r name v <<<"$name"
    pver "$CACHE/pulumi-resource-$name-v$v/bin/pulumi-resource-$name" || printf '%-32s %s\n' "pulumi-resource-$name" "(not built)"
  done
  rm -rf "$ph"
  b=$CACHE/argo-rollouts-$ARGO_ROLLOUTS_VERSION/bin; ver1 "$b/rollouts-controller" --version; ver1 "$b/kubectl-argo-rollouts" version --short
  b=$CACHE/kwok-$KWOK_VERSION/bin;               ver1 "$b/kwok" --version; ver1 "$b/kwokctl" --version
  b=$CACHE/actionlint-$ACTIONLINT_VERSION/bin;   ver1 "$b/actionlint" -version
}

main "$@"; exit $?
