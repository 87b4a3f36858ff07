#!/usr/bin/env bash
# Regenerates the HEIF/AVIF test files from a PIL-drawn source, with Debian's libheif-examples
# (heif-enc, libheif 1.15: x265 and aom encoders built in) and libvips-tools (16-bit PNG):
#   apt-get install libheif-examples libvips-tools python3-pil python3-numpy
# Run from this directory: ./make.sh
set -euo pipefail
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 - "$tmp" <<'PY'
import sys
import numpy as np
from PIL import Image
y, x = np.mgrid[0:240, 0:320]
r = (128 + 100 * np.sin(x / 23.0) * np.cos(y / 17.0)).astype(np.uint8)
g = (x * 255 // 320).astype(np.uint8)
b = (y * 255 // 240).astype(np.uint8)
rgb = np.dstack([r, g, b])
rgb[:120, :160] = [230, 30, 30]  # a flat red top-left quadrant, to check orientation
Image.fromarray(rgb).save("source.png")
ex = Image.Exif(); ex[0x0112] = 6
Image.fromarray(rgb).save(sys.argv[1] + "/exif6.jpg", quality=92, exif=ex.tobytes())
PY
heif-enc -q 70 source.png -o photo.heic
heif-enc -q 70 source.png -o photo.avif
vips colourspace source.png "$tmp/source16.png" rgb16
heif-enc -b 10 -q 70 "$tmp/source16.png" -o photo10.heic
/usr/bin/python3 add_irot.py photo.heic rot90.heic 1   # stored 320x240, shown 240x320 (90 degrees anti-clockwise)
heif-enc -q 70 "$tmp/exif6.jpg" -o exif6.heic          # EXIF orientation 6, no irot: shown as stored
ls -l *.heic *.avif source.png
# What libheif itself decodes (heif-convert): SHA-256 of the 8-bit RGB bytes (16-bit: high byte),
# for the decoder's exactness test.
for f in photo.heic photo.avif photo10.heic rot90.heic; do
  heif-convert "$f" "$tmp/${f%.*}.png" >/dev/null
  /usr/bin/python3 -c '
import hashlib, sys
import numpy as np
from PIL import Image
png = sys.argv[1]
im = Image.open(png)
a = np.asarray(im)
if a.dtype != np.uint8:
    a = (a >> 8).astype(np.uint8)
a = np.ascontiguousarray(a[:, :, :3])
print(hashlib.sha256(a.tobytes()).hexdigest(), sys.argv[2], "%dx%d" % (a.shape[1], a.shape[0]))
' "$tmp/${f%.*}.png" "$f"
done > libheif.sha256
cat libheif.sha256
