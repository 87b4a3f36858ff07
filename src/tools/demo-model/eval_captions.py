"""Sentence frames of the held-out evaluation set (``make_eval.py``).

None of these frames is used in training: ``test_eval_fixture.py`` checks that no caption they
produce is in ``captions.caption_corpus()`` (every caption the training generator can produce),
and that every word is in the demo tokenizer's vocabulary (so nothing becomes ``[UNK]``; the
frames recombine known words in sentences the model never saw).

Korean frames take (c, cl, s): colour modifier (빨간), its "-색" noun form (빨간색), shape word.
English frames take c (colour) and s (shape).
"""
from captions import KO_COLOUR, KO_SHAPE, obj, subj

KO_EVAL = [
    lambda c, cl, s: f"{c} {s} 하나가 있는 그림",
    lambda c, cl, s: f"흰 배경에 {c} {s} 하나",
    lambda c, cl, s: f"{c} {s} 모양의 도형",
    lambda c, cl, s: f"사진 속의 {c} {s}",
    lambda c, cl, s: f"밝은 배경 위의 {c} {s} 그림",
    lambda c, cl, s: f"{c} {s} 도형이 있는 이미지",
    lambda c, cl, s: f"{cl} {s} 하나가 있다.",
    lambda c, cl, s: f"이 사진에는 {c} {subj(s)} 있다.",
    lambda c, cl, s: f"{c} {s}의 그림",
    lambda c, cl, s: f"{cl} {obj(s)} 그린 이미지",
]

EN_EVAL = [
    "a picture of one {c} {s}",
    "one {c} {s} on a plain background",
    "an image of the {c} {s} shape",
    "a simple drawing of a {c} {s}",
    "this is a picture of a {c} {s}",
    "the {c} {s} on a white background",
    "a photo of one {c} {s}",
    "a {s} that is colored {c}",
    "a drawing of one {c} {s} shape",
    "an image of a simple {c} {s}",
]


def korean_frame(rng, frame, colour, shape):
    """Korean frame number `frame` with a random colour form (빨간 / 빨간색) and shape synonym."""
    c, cl = KO_COLOUR[colour]
    s = KO_SHAPE[shape][int(rng.integers(len(KO_SHAPE[shape])))]
    if rng.random() < 0.5:
        c = cl
    return KO_EVAL[frame](c, cl, s)


def english_frame(frame, colour, shape):
    """English frame number `frame`."""
    return EN_EVAL[frame].format(c=colour, s=shape)


def all_captions():
    """Every caption the evaluation frames can produce (for the held-out checks)."""
    out = []
    for colour in KO_COLOUR:
        for shape in KO_SHAPE:
            c0, cl = KO_COLOUR[colour]
            for c in (c0, cl):
                for s in KO_SHAPE[shape]:
                    out += [f(c, cl, s) for f in KO_EVAL]
            out += [f.format(c=colour, s=shape) for f in EN_EVAL]
    return list(dict.fromkeys(out))
