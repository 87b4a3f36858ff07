"""Korean and English captions for the rendered shapes.

Each caption knows which attributes it names: (colour or None, shape or None).
An image of class (c, s) *matches* a caption when every attribute the caption
names agrees with the image; the training loss uses this to treat all matching
pairs in a batch as positives (so "빨간색" and "circle" are sensible queries).

`caption_corpus()` enumerates every caption the generator can produce; the
tokenizer vocabulary is built from it and a test checks it has no [UNK].
"""
import itertools

# English colour name -> Korean modifier forms (short adjective, "-색" noun form).
KO_COLOUR = {
    "red": ["빨간", "빨간색"],
    "yellow": ["노란", "노란색"],
    "green": ["초록", "초록색"],
    "blue": ["파란", "파란색"],
    "purple": ["보라", "보라색"],
    "black": ["검은", "검은색"],
}
KO_SHAPE = {
    "circle": ["원", "동그라미"],
    "square": ["사각형", "네모"],
    "triangle": ["삼각형", "세모"],
}
EN_SHAPE = {"circle": ["circle"], "square": ["square"], "triangle": ["triangle"]}

# The bundle's own templates (model.json "templates").
KO_TEMPLATE = "이것은 {}이다."
EN_TEMPLATES = ["a photo of a {}.", "a photo of {}."]


# --- Korean morphology helpers -------------------------------------------------

def has_batchim(word):
    """True if the last syllable of `word` ends in a final consonant (받침)."""
    ch = word[-1]
    if "가" <= ch <= "힣":
        return (ord(ch) - 0xAC00) % 28 != 0
    return False


def cop(word):
    """Copula: '이다' after a final consonant, '다' after a vowel (원이다 / 세모다)."""
    return word + ("이다" if has_batchim(word) else "다")


def josa(word, with_batchim, without):
    return word + (with_batchim if has_batchim(word) else without)


def subj(w):  # 이/가
    return josa(w, "이", "가")


def topic(w):  # 은/는
    return josa(w, "은", "는")


def obj(w):  # 을/를
    return josa(w, "을", "를")


def ko_template(phrase, rule=True):
    """Apply the Korean bundle template, with the copula rule or literally (as the engine does)."""
    return "이것은 " + (cop(phrase) if rule else phrase + "이다") + "."


# --- Sentence frames -----------------------------------------------------------
# Korean full frames get (c, s) = (colour modifier, shape word); cl = "-색" colour form.

KO_FULL = [
    lambda c, cl, s: f"{c} {s}",
    lambda c, cl, s: cop(f"{c} {s}"),
    lambda c, cl, s: f"{c} {s}이다",
    lambda c, cl, s: f"이것은 {cop(c + ' ' + s)}.",
    lambda c, cl, s: f"이것은 {c} {s}이다.",
    lambda c, cl, s: f"이것은 {c} {s} 이다",
    lambda c, cl, s: f"이것은 {cop(c + ' ' + s)}",
    lambda c, cl, s: f"이것은 {c} {s}이다",
    lambda c, cl, s: f"{c} {subj(s)} 있는 그림",
    lambda c, cl, s: f"{c} {subj(s)} 있는 사진",
    lambda c, cl, s: f"{c} {subj(s)} 있다",
    lambda c, cl, s: f"{c} {subj(s)} 있다.",
    lambda c, cl, s: f"{c} {obj(s)} 그린 그림",
    lambda c, cl, s: f"{c} {s}의 사진",
    lambda c, cl, s: f"{c} {s}의 이미지",
    lambda c, cl, s: f"{c} {s} 그림",
    lambda c, cl, s: f"{c} {s} 사진",
    lambda c, cl, s: f"{c} {s} 하나",
    lambda c, cl, s: f"{c} {s} 모양",
    lambda c, cl, s: f"흰 배경 위의 {c} {s}",
    lambda c, cl, s: f"밝은 배경에 {c} {s}",
    lambda c, cl, s: f"사진 속 {c} {s}",
    lambda c, cl, s: f"{topic(s)} {cl}이다.",
    lambda c, cl, s: f"이 그림에는 {c} {subj(s)} 있다.",
    lambda c, cl, s: f"{c} {s}입니다",
    lambda c, cl, s: f"이것은 {c} {s}입니다.",
    lambda c, cl, s: f"{cl}의 {s}",
    lambda c, cl, s: f"{cl} {s}",
]
KO_COLOUR_ONLY = [
    lambda c: c,
    lambda c: f"{c} 물체",
    lambda c: f"{c} 도형",
    lambda c: f"{c} 것",
    lambda c: cop(c),
    lambda c: f"이것은 {cop(c)}.",
    lambda c: f"이것은 {c}이다.",
    lambda c: f"{c} 모양",
]
KO_SHAPE_ONLY = [
    lambda s: s,
    lambda s: f"{s} 모양",
    lambda s: f"{s} 그림",
    lambda s: f"{s} 도형",
    lambda s: f"{s} 하나",
    lambda s: cop(s),
    lambda s: f"이것은 {cop(s)}.",
    lambda s: f"이것은 {s}이다.",
    lambda s: f"{subj(s)} 있는 그림",
]

EN_FULL = [
    "{c} {s}", "{c} {s}.", "a {c} {s}", "a {c} {s}.", "the {c} {s}",
    "a photo of a {c} {s}", "a photo of a {c} {s}.", "a photo of {c} {s}.", "a photo of the {c} {s}.",
    "a picture of a {c} {s}", "an image of a {c} {s}", "a drawing of a {c} {s}",
    "a {c} {s} on a white background", "a {c} {s} on a light background", "a {c} {s} on a plain background",
    "this is a {c} {s}.", "this is a {c} {s}", "a simple {c} {s}", "one {c} {s}", "a {s} that is {c}",
    "a {c} colored {s}", "a {c} {s} shape", "a photo of a {c} {s} shape.", "{c} {s} image",
    "A photo of a {C} {S}.", "{C} {S}",
]
EN_COLOUR_ONLY = [
    "{c}", "{c} shape", "a {c} shape", "a {c} object", "something {c}", "a photo of a {c} shape.",
    "a photo of a {c}.", "a photo of {c}.", "{c} color", "the color {c}", "{C}",
]
EN_SHAPE_ONLY = [
    "{s}", "a {s}", "a {s} shape", "a photo of a {s}.", "a photo of {s}.", "a photo of a {s}",
    "this is a {s}.", "a {s} on a white background", "{S}",
]


def _en(fmt, c="", s=""):
    return fmt.format(c=c, s=s, C=c.capitalize(), S=s.capitalize())


def _wrappable(raw):
    """Phrase-like captions (no sentence already) are the ones users type as queries."""
    r = raw.rstrip(".").lower()
    return not (r.startswith(("이것은", "a photo", "this is")) or r.endswith(("다", "니다")))


def _wrap_templates(raw, lang):
    """Bundle templates applied to a raw caption, as the engine would apply them to a query."""
    if not _wrappable(raw):
        return []
    raw = raw.rstrip(".")
    if lang == "ko":
        return [ko_template(raw, rule=True), ko_template(raw, rule=False)]
    return [t.format(raw) for t in EN_TEMPLATES]


def captions_for(colour, shape, lang):
    """All captions (without template wrapping) naming exactly these attributes."""
    out = []
    if lang == "ko":
        if colour and shape:
            for (c, cl), s in itertools.product(itertools.product(KO_COLOUR[colour], [KO_COLOUR[colour][1]]), KO_SHAPE[shape]):
                out += [f(c, cl, s) for f in KO_FULL]
        elif colour:
            out += [f(c) for c in KO_COLOUR[colour] for f in KO_COLOUR_ONLY]
        else:
            out += [f(s) for s in KO_SHAPE[shape] for f in KO_SHAPE_ONLY]
    else:
        if colour and shape:
            out += [_en(f, colour, s) for s in EN_SHAPE[shape] for f in EN_FULL]
        elif colour:
            out += [_en(f, c=colour) for f in EN_COLOUR_ONLY]
        else:
            out += [_en(f, s=s) for s in EN_SHAPE[shape] for f in EN_SHAPE_ONLY]
    return list(dict.fromkeys(out))


def random_caption(rng, colour, shape, p_partial=0.12, p_wrap=0.2):
    """One random caption for an image of class (colour, shape).

    Returns (text, colour_named or None, shape_named or None). With probability
    p_partial only one attribute is named; with probability p_wrap a raw caption
    is additionally wrapped in a bundle template.
    """
    lang = "ko" if rng.random() < 0.5 else "en"
    c, s = colour, shape
    if rng.random() < p_partial:
        if rng.random() < 0.5:
            s = None
        else:
            c = None
    options = captions_for(c, s, lang)
    text = options[int(rng.integers(len(options)))]
    wrapped = _wrap_templates(text, lang)
    if wrapped and rng.random() < p_wrap:
        text = wrapped[int(rng.integers(len(wrapped)))]
    return text, c, s


def caption_corpus():
    """Every caption the generator can produce (including template-wrapped ones)."""
    from render import COLOURS, SHAPES
    out = []
    for lang in ("ko", "en"):
        combos = [(c, s) for c in COLOURS for s in SHAPES] + [(c, None) for c in COLOURS] + [(None, s) for s in SHAPES]
        for c, s in combos:
            for t in captions_for(c, s, lang):
                out.append(t)
                out += _wrap_templates(t, lang)
    return list(dict.fromkeys(out))


def heldout_queries():
    """Per class, the raw Korean and English query phrases of the recall test."""
    from render import CLASSES
    q = {}
    for colour, shape in CLASSES:
        ko_c, ko_cl = KO_COLOUR[colour]
        s1, s2 = KO_SHAPE[shape]
        q[f"{colour}_{shape}"] = {
            "ko": [f"{ko_c} {s1}", f"{ko_cl} {s2}"],
            "en": [f"{colour} {shape}"],
        }
    return q
