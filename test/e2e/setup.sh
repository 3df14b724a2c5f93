#!/bin/sh
# Provisions a real VS Code for the e2e tier: code-server (VS Code server + web workbench, from npm)
# and Debian's Chromium. Only the npm registry and the apt mirrors are reachable here, so the
# install works around every GitHub/nodejs.org download its scripts would attempt.
# Idempotent: a second run only checks; CI can cache .vscode-test/code-server-$CS_VERSION.
set -eu
cd "$(dirname "$0")/../.."
CS_VERSION="${CS_VERSION:-4.100.3}" # 4.100.x is the last code-server that runs on Node 20
DIR="${CS_DIR:-.vscode-test/code-server-$CS_VERSION}"
# `code-server --version` writes config.yaml and logs under XDG dirs: keep them out of $HOME.
export XDG_CONFIG_HOME="$PWD/.vscode-test/xdg"
export XDG_DATA_HOME="$PWD/.vscode-test/xdg"

# ---- system packages ----------------------------------------------------------------------
need=""
[ -x "${CHROME_PATH:-/usr/bin/chromium}" ] || need="$need chromium"
command -v rg >/dev/null 2>&1 || need="$need ripgrep"            # replaces @vscode/ripgrep's GitHub download
[ -e /usr/include/gssapi/gssapi.h ] || need="$need libkrb5-dev"   # headers for the native module 'kerberos'
command -v g++ >/dev/null 2>&1 || need="$need g++"
command -v make >/dev/null 2>&1 || need="$need make"
command -v python3 >/dev/null 2>&1 || need="$need python3"
if [ -n "$need" ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "[e2e:setup] need root or sudo to install:$need" >&2; exit 1; }
    SUDO="sudo"
  fi
  echo "[e2e:setup] apt-get install$need"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need
fi

CS="$DIR/node_modules/.bin/code-server"
if [ -x "$CS" ] && "$CS" --version >/dev/null 2>&1; then
  echo "[e2e:setup] code-server $CS_VERSION already installed in $DIR"
  exit 0
fi

# ---- node-gyp must build against local headers, not download them from nodejs.org --------
NODE_PREFIX="$(node -p 'require("path").resolve(process.execPath, "../..")')"
if [ -z "${npm_config_nodedir:-}" ]; then
  if [ -e "$NODE_PREFIX/include/node/node.h" ]; then
    export npm_config_nodedir="$NODE_PREFIX"
  else
    echo "[e2e:setup] no Node headers under $NODE_PREFIX/include/node; set npm_config_nodedir" >&2
    exit 1
  fi
fi
export npm_config_unsafe_perm=true # code-server's postinstall refuses root without it (npm 11 only passes the env var)
export npm_config_yes=true         # node-pty's install script runs `npx node-gyp`, which asks otherwise

# ---- fetch code-server without running its scripts ----------------------------------------
mkdir -p "$DIR"
[ -f "$DIR/package.json" ] || echo '{ "name": "pgmig-e2e-code-server", "private": true }' >"$DIR/package.json"
npm install --prefix "$DIR" --ignore-scripts --no-audit --no-fund "code-server@$CS_VERSION"

# ---- seed @vscode/ripgrep's download cache with the system rg (same 13.0.0 release) --------
RGV="$(node -p "require('./$DIR/node_modules/code-server/lib/vscode/npm-shrinkwrap.json').packages['node_modules/@vscode/ripgrep'].version")"
TMPD="$(mktemp -d)"
(cd "$TMPD" && npm pack --silent "@vscode/ripgrep@$RGV" >/dev/null && tar xzf ./*.tgz)
RG_TAG="$(sed -n "s/^const VERSION = '\(.*\)';.*/\1/p" "$TMPD/package/lib/postinstall.js")"
case "$(uname -m)" in
  x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) echo "[e2e:setup] unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RGV"
mkdir -p "$CACHE"
cp "$(command -v rg)" "$TMPD/rg"
tar czf "$CACHE/ripgrep-$RG_TAG-$RG_TARGET.tar.gz" -C "$TMPD" rg
rm -rf "$TMPD"
echo "[e2e:setup] seeded $CACHE/ripgrep-$RG_TAG-$RG_TARGET.tar.gz"

# ---- run the install scripts: builds VS Code's native modules (about 2 minutes on 2 cores) --
(cd "$DIR" && npm rebuild --no-audit --no-fund)
rm -rf "$CACHE"
"$CS" --version
