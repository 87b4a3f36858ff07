#!/usr/bin/python3
"""Writes the seed corpus of UploadFuzzTest#upload: small image seeds of the image fuzz targets, each
followed by five control bytes that the test's FuzzedDataProvider reads from the end: the endpoint
(last byte, mod 3: search/image, classify, patches), the number of request parameters (mod 7) and three
bytes of image length (0xFFFFFF: longer than the image, so the whole file is the part).

Run from the repository root after make_image_seeds.py: /usr/bin/python3 src/test/fuzz/make_upload_seeds.py"""
import pathlib

IMAGES = pathlib.Path("src/test/resources/io/koclip/search/image/ImageFuzzTestInputs/sniffAndProbe")
OUT = pathlib.Path("src/test/resources/io/koclip/search/web/UploadFuzzTestInputs/upload")
OUT.mkdir(parents=True, exist_ok=True)
for endpoint, name in enumerate(["seed-rgb.png", "seed-baseline.jpg", "seed-lossy.webp"]):
    for params in (0, 3):
        data = IMAGES.joinpath(name).read_bytes() + bytes([0xFF, 0xFF, 0xFF, params, endpoint])
        OUT.joinpath(f"{name.rsplit('.', 1)[0]}-e{endpoint}-p{params}").write_bytes(data)
print("wrote", len(list(OUT.iterdir())), "seeds into", OUT)
