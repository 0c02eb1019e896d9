#!/bin/sh
# Vendor the browser QR decoder into pos/web/static/vendor/barcode-detector/ from the npm registry:
# barcode-detector (the BarcodeDetector API as an ES module) and the zxing-wasm reader it loads.
# The pages serve these files themselves: no CDN at run time. Needs npm, sha256sum and the project's
# Python environment (for zxing-cpp's licence text). Run from anywhere.
set -eu

BARCODE_DETECTOR=3.2.2
ZXING_WASM=3.1.3   # the exact version barcode-detector pins; its JS knows the wasm's SHA-256

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/pos/web/static/vendor/barcode-detector"
python=${PYTHON:-"$root/.venv/bin/python"}
[ -x "$python" ] || python=python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "barcode-detector@$BARCODE_DETECTOR" "zxing-wasm@$ZXING_WASM" >/dev/null
mkdir bd zw
tar -xzf "barcode-detector-$BARCODE_DETECTOR.tgz" -C bd
tar -xzf "zxing-wasm-$ZXING_WASM.tgz" -C zw

wasm_sha=$(sha256sum zw/package/dist/reader/zxing_reader.wasm | cut -d' ' -f1)
if ! grep -q "\"$wasm_sha\"" bd/package/dist/es/zxing-exported.js; then
    echo "zxing_reader.wasm ($wasm_sha) is not the build barcode-detector $BARCODE_DETECTOR expects" >&2
    exit 1
fi

rm -rf "$dest"
mkdir -p "$dest"
cp bd/package/dist/es/ponyfill.js bd/package/dist/es/zxing-exported.js "$dest/"
cp zw/package/dist/reader/zxing_reader.wasm "$dest/"
cp bd/package/LICENSE "$dest/LICENSE"
cp zw/package/LICENSE "$dest/LICENSE.zxing-wasm"
# zxing_reader.wasm is zxing-cpp compiled to WebAssembly, and zxing-cpp is Apache-2.0: take its licence
# text from the zxing-cpp Python wheel, which qrpos depends on anyway.
"$python" -c '
import sys
from importlib.metadata import distribution
licence = next(f for f in distribution("zxing-cpp").files if f.name == "LICENSE")
open(sys.argv[1], "w", encoding="utf-8").write(licence.read_text(encoding="utf-8"))
' "$dest/LICENSE.zxing-cpp"

cat > "$dest/VERSION" <<EOF
barcode-detector $BARCODE_DETECTOR (npm, MIT: LICENSE): dist/es/ponyfill.js, dist/es/zxing-exported.js
zxing-wasm $ZXING_WASM (npm, MIT: LICENSE.zxing-wasm): dist/reader/zxing_reader.wasm, sha256 $wasm_sha
  zxing_reader.wasm is zxing-cpp compiled to WebAssembly (Apache-2.0: LICENSE.zxing-cpp)
Made by scripts/vendor_js.sh; pos/web/static/common/qrscan.js points the wasm location at this copy.
EOF
echo "vendored into $dest:"
ls -l "$dest"
