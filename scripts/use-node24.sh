# shellcheck shell=bash
# `. scripts/use-node24.sh` — Node 24 LTS first on PATH for this shell.
# The app's main process runs Electron 45's built-in Node 24, and electron, @electron/* and
# node-abi need Node >= 22.12. Where the machine's node is older, this fetches the official
# Linux binary once from the npm registry (package node-linux-<arch>) into .tools/ (git-ignored).
NODE24_VERSION="${NODE24_VERSION:-24.22.3}"
_node24_major_minor() { node -p 'process.versions.node.split(".").slice(0, 2).map(Number).join(" ")' 2>/dev/null; }
_node24_ok() { read -r major minor <<<"$(_node24_major_minor)" && { [ "${major:-0}" -gt 22 ] || { [ "${major:-0}" -eq 22 ] && [ "${minor:-0}" -ge 12 ]; }; }; }
if ! _node24_ok; then
  _node24_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)/.tools/node-v${NODE24_VERSION}"
  if [ ! -x "$_node24_root/bin/node" ]; then
    case "$(uname -m)" in
      x86_64) _node24_arch=x64 ;;
      aarch64 | arm64) _node24_arch=arm64 ;;
      *) echo "use-node24: no Node ${NODE24_VERSION} package for $(uname -m); install Node >= 22.12 yourself" >&2; return 1 2>/dev/null || exit 1 ;;
    esac
    _node24_tmp="$(mktemp -d)"
    echo "use-node24: fetching node-linux-${_node24_arch}@${NODE24_VERSION} from the npm registry" >&2
    (cd "$_node24_tmp" && npm pack --silent "node-linux-${_node24_arch}@${NODE24_VERSION}" >/dev/null && tar xzf ./*.tgz) || {
      echo "use-node24: could not fetch Node ${NODE24_VERSION}" >&2
      rm -rf "$_node24_tmp"
      return 1 2>/dev/null || exit 1
    }
    mkdir -p "$(dirname "$_node24_root")"
    rm -rf "$_node24_root"
    mv "$_node24_tmp/package" "$_node24_root"
    rm -rf "$_node24_tmp"
  fi
  export PATH="$_node24_root/bin:$PATH"
  hash -r 2>/dev/null || true
fi
echo "use-node24: node $(node --version) at $(command -v node)" >&2
