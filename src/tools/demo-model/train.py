"""Train the demo CLIP on an infinite stream of rendered shapes + random captions.

Loss: symmetric contrastive (CLIP) loss with *multi-positive* targets: a
batch holds several images of the same class and partial captions ("빨간색",
"circle"), so every (image, caption) pair whose attributes agree is a
positive, with the target mass spread uniformly over the positives.
"""
import io
import math
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

import captions
import clip_preprocess as preprocess
from model import CLIP, Config
from render import CLASSES, COLOURS, SHAPES, SEED_NS, rng_for, render, random_size

TRAIN_SIZE_RANGE = (64, 224)  # training renders: small (fast), resize+crop still applies


def render_train_image(step, i):
    """One training example: (CHW float array, colour, shape, rng for its caption)."""
    rng = rng_for(SEED_NS["train"], step, i)
    colour, shape = CLASSES[int(rng.integers(len(CLASSES)))]
    w, h = random_size(rng, *TRAIN_SIZE_RANGE)
    img = render(colour, shape, w, h, rng)
    if rng.random() < 0.3:  # JPEG artefacts, as in the sample corpus
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=int(rng.integers(60, 96)))
        img = Image.open(io.BytesIO(buf.getvalue()))
    return preprocess.preprocess(img, 64), colour, shape, rng


def make_batch(step, batch_size, tok):
    xs, img_attr, txt_attr, texts = [], [], [], []
    for i in range(batch_size):
        x, colour, shape, rng = render_train_image(step, i)
        text, c, s = captions.random_caption(rng, colour, shape)
        xs.append(x)
        img_attr.append((colour, shape))
        txt_attr.append((c, s))
        texts.append(text)
    ids, mask, pos = tok.batch(texts)
    # match[i, j]: image i is consistent with caption j.
    match = np.array([[(c is None or c == ic) and (s is None or s == is_) for (c, s) in txt_attr]
                      for (ic, is_) in img_attr], dtype=np.float32)
    return (torch.from_numpy(np.stack(xs)), torch.from_numpy(ids), torch.from_numpy(mask),
            torch.from_numpy(pos), torch.from_numpy(match))


def contrastive_loss(img, txt, scale, match):
    img = F.normalize(img, dim=-1)
    txt = F.normalize(txt, dim=-1)
    logits = scale * img @ txt.t()
    t_i2t = match / match.sum(1, keepdim=True)
    t_t2i = match.t() / match.t().sum(1, keepdim=True)
    l1 = -(t_i2t * logits.log_softmax(1)).sum(1).mean()
    l2 = -(t_t2i * logits.t().log_softmax(1)).sum(1).mean()
    return (l1 + l2) / 2


# --- evaluation ---

def val_set(n_per_class=8, size_range=(80, 400)):
    """Fixed validation renders (seed namespace 'val'): list of (CHW array, class key)."""
    out = []
    for k, (colour, shape) in enumerate(CLASSES):
        for n in range(n_per_class):
            rng = rng_for(SEED_NS["val"], k, n)
            w, h = random_size(rng, *size_range)
            out.append((preprocess.preprocess(render(colour, shape, w, h, rng), 64), f"{colour}_{shape}"))
    return out


def query_sets(queries):
    """From heldout-style queries build {name: [(text, class key)]} for ko/en, templated/raw."""
    sets = {"ko_templated": [], "ko_raw": [], "en_templated": [], "en_raw": []}
    for key, q in queries.items():
        for p in q["ko"]:
            sets["ko_raw"].append((p, key))
            sets["ko_templated"].append((captions.KO_TEMPLATE.format(p), key))
            sets["ko_templated"].append((captions.ko_template(p, rule=True), key))
        for p in q["en"]:
            sets["en_raw"].append((p, key))
            for t in captions.EN_TEMPLATES:
                sets["en_templated"].append((t.format(p), key))
    return sets


@torch.no_grad()
def recall_at_1(model, tok, images, labels, queries):
    """Text->image recall@1: fraction of queries whose top-1 image has the queried class.

    images: float tensor [N,3,S,S]; labels: class key per image; queries: {name: [(text, key)]}.
    """
    model.eval()
    img = F.normalize(model.visual(images), dim=-1)
    out = {}
    for name, qs in queries.items():
        ids, mask, pos = (torch.from_numpy(a) for a in tok.batch([t for t, _ in qs]))
        txt = F.normalize(model.text(ids, mask, pos), dim=-1)
        top = (txt @ img.t()).argmax(1).tolist()
        out[name] = sum(labels[j] == k for j, (_, k) in zip(top, qs)) / len(qs)
    model.train()
    return out


@torch.no_grad()
def zero_shot_accuracy(model, tok, images, labels):
    """Image -> class accuracy with English templated class prompts."""
    model.eval()
    keys = [f"{c}_{s}" for c, s in CLASSES]
    ids, mask, pos = (torch.from_numpy(a) for a in tok.batch([f"a photo of a {c} {s}." for c, s in CLASSES]))
    txt = F.normalize(model.text(ids, mask, pos), dim=-1)
    img = F.normalize(model.visual(images), dim=-1)
    pred = (img @ txt.t()).argmax(1).tolist()
    model.train()
    return sum(keys[p] == l for p, l in zip(pred, labels)) / len(labels)


def train(tok, cfg, steps=500, batch_size=64, lr=1e-3, warmup=30, seed=0, log=print, eval_every=100):
    torch.manual_seed(seed)
    model = CLIP(cfg)
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "pos" not in n and "cls" not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.ndim >= 2 and "pos" not in n and "cls" not in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=lr, betas=(0.9, 0.98), eps=1e-6)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps)))
    val = val_set()
    val_x = torch.from_numpy(np.stack([x for x, _ in val]))
    val_y = [k for _, k in val]
    vq = query_sets(captions.heldout_queries())
    t0 = time.time()
    t_data = 0.0
    for step in range(steps):
        td = time.time()
        x, ids, mask, pos, match = make_batch(step, batch_size, tok)
        t_data += time.time() - td
        loss = contrastive_loss(model.visual(x), model.text(ids, mask, pos), model.scale(), match)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if step % 25 == 0 or step == steps - 1:
            log(f"step {step:4d}  loss {loss.item():.4f}  scale {model.scale().item():6.2f}  "
                f"lr {sched.get_last_lr()[0]:.2e}  {time.time() - t0:6.1f}s (data {t_data:.1f}s)")
        if (step + 1) % eval_every == 0 or step == steps - 1:
            r = recall_at_1(model, tok, val_x, val_y, vq)
            acc = zero_shot_accuracy(model, tok, val_x, val_y)
            log(f"  val: zero-shot acc {acc:.3f}  recall@1 " + "  ".join(f"{k} {v:.3f}" for k, v in r.items()))
    seconds = time.time() - t0
    model.eval()
    r = recall_at_1(model, tok, val_x, val_y, vq)
    acc = zero_shot_accuracy(model, tok, val_x, val_y)
    return model, {"seconds": round(seconds, 1), "steps": steps, "batch_size": batch_size,
                   "val_zero_shot_accuracy": acc, "val_recall_at_1": r, "val_images": len(val_y)}
