"""The held-out evaluation set of `koclip-search eval`: 100 renders x 5 Korean + 5 English captions.

Writes src/test/resources/eval/captions.json (COCO captions format, as captions_val2014.json) and
src/test/resources/eval/images/*.jpg. Images come from their own seed namespace (render.SEED_NS
"eval"), captions from sentence frames that training never used (eval_captions.py), so the set is
held out in both towers. Deterministic: the same files bit for bit on every run.

    /usr/bin/python3 src/tools/demo-model/make_eval.py [--out DIR] [--images N]
"""
import argparse
import json
import os

import eval_captions
from render import CLASSES, SEED_NS, random_size, render, rng_for

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CAPTIONS_PER_LANGUAGE = 5


def build(out, count=100):
    images_dir = os.path.join(out, "images")
    os.makedirs(images_dir, exist_ok=True)
    # Every class 5 or 6 times, in a seeded order so neighbouring ids are not the same class.
    order = [CLASSES[i % len(CLASSES)] for i in range(count)]
    perm = rng_for(SEED_NS["eval"], 999_999).permutation(count)
    images, annotations = [], []
    for image_id, j in enumerate(perm, start=1):
        colour, shape = order[j]
        rng = rng_for(SEED_NS["eval"], image_id)
        w, h = random_size(rng, 64, 160)
        name = f"images/eval_{image_id:03d}.jpg"
        # Slight noise at most: keeps the JPEGs small (the whole set stays well under 1 MB).
        img = render(colour, shape, w, h, rng, noise=float(rng.uniform(0.0, 2.0)))
        img.save(os.path.join(out, name), "JPEG", quality=85)
        images.append({"id": image_id, "file_name": name, "width": w, "height": h})
        ko_frames = rng.choice(len(eval_captions.KO_EVAL), CAPTIONS_PER_LANGUAGE, replace=False)
        en_frames = rng.choice(len(eval_captions.EN_EVAL), CAPTIONS_PER_LANGUAGE, replace=False)
        for f in ko_frames:
            text = eval_captions.korean_frame(rng, int(f), colour, shape)
            annotations.append({"id": len(annotations) + 1, "image_id": image_id, "caption": text})
        for f in en_frames:
            text = eval_captions.english_frame(int(f), colour, shape)
            annotations.append({"id": len(annotations) + 1, "image_id": image_id, "caption": text})
    doc = {
        "info": {
            "description": "koclip-search held-out evaluation set: rendered shapes, Korean and English captions "
                           "from sentence frames unused in training (src/tools/demo-model/make_eval.py)",
            "version": "1",
        },
        "images": images,
        "annotations": annotations,
    }
    with open(os.path.join(out, "captions.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return doc


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "src", "test", "resources", "eval"))
    ap.add_argument("--images", type=int, default=100)
    args = ap.parse_args()
    doc = build(args.out, args.images)
    size = sum(os.path.getsize(os.path.join(args.out, i["file_name"])) for i in doc["images"])
    print(f"{len(doc['images'])} images ({size} bytes), {len(doc['annotations'])} captions -> {args.out}")


if __name__ == "__main__":
    main()
