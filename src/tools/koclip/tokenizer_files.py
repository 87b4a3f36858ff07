"""The bundle's `tokenizer.json`: taken from the checkpoint, or written from klue's `vocab.txt`.

klue/roberta-large uses a BERT WordPiece vocabulary (32000 entries, `##` continuations, [CLS]=0,
[PAD]=1, [SEP]=2, [UNK]=3). Lowercasing must stay off: BERT's normalizer strips accents whenever
it lowercases, and accent stripping is an NFD decomposition that splits every Hangul syllable into
jamo, which klue's vocabulary does not contain, so Korean would come out as [UNK].
"""

import json
import os
import sys
import unicodedata

SPECIAL_TOKENS = ("[CLS]", "[PAD]", "[SEP]", "[UNK]", "[MASK]")


def read_vocab(path):
    """vocab.txt -> {token: id} (one token a line, id = line number)."""
    vocab = {}
    with open(path, encoding="utf-8") as f:
        for index, line in enumerate(f):
            token = line.rstrip("\n").rstrip("\r")
            if token in vocab:
                continue  # transformers keeps the first id of a duplicate
            vocab[token] = index
    return vocab


def wordpiece_tokenizer_json(vocab, cls="[CLS]", sep="[SEP]", unk="[UNK]"):
    """A Hugging Face tokenizers file equivalent to BertTokenizerFast(do_lower_case=False, strip_accents=False)."""
    for token in (cls, sep, unk):
        if token not in vocab:
            raise ValueError(f"vocabulary has no {token} token")
    added = [
        {"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
         "normalized": False, "special": True}
        for t in SPECIAL_TOKENS if t in vocab
    ]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": sorted(added, key=lambda a: a["id"]),
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": False, "lowercase": False},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": cls, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": sep, "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": cls, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": sep, "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": sep, "type_id": 1}}],
            "special_tokens": {
                cls: {"id": cls, "ids": [vocab[cls]], "tokens": [cls]},
                sep: {"id": sep, "ids": [vocab[sep]], "tokens": [sep]},
            },
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": unk, "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": vocab},
    }


def _fix_normalizer(normalizer, source):
    """Turns lowercasing and accent stripping off in BertNormalizer(s); returns the number of changes."""
    if not isinstance(normalizer, dict):
        return 0
    if normalizer.get("type") == "Sequence":
        return sum(_fix_normalizer(n, source) for n in normalizer.get("normalizers", []))
    if normalizer.get("type") == "BertNormalizer":
        changed = 0
        for key in ("lowercase", "strip_accents"):
            if normalizer.get(key) is not False:
                print(f"warning: {source}: BertNormalizer.{key} was {normalizer.get(key)!r}; set to false so that "
                      f"Hangul is not decomposed into jamo", file=sys.stderr)
                normalizer[key] = False
                changed += 1
        return changed
    if normalizer.get("type") in ("Lowercase", "StripAccents", "NFD", "NFKD"):
        print(f"warning: {source}: normalizer {normalizer['type']} decomposes or lowercases text; check Korean output",
              file=sys.stderr)
    return 0


def bundle_tokenizer(*folders):
    """tokenizer.json content for the first folder that has tokenizer files.

    Prefers an existing tokenizer.json (with lowercasing/accent stripping forced off), else writes one
    from vocab.txt. Raises FileNotFoundError naming the folders searched.
    """
    for folder in folders:
        if folder is None:
            continue
        path = os.path.join(folder, "tokenizer.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                tokenizer = json.load(f)
            _fix_normalizer(tokenizer.get("normalizer"), path)
            # The engine truncates and pads itself; settings baked into the file would fight it.
            tokenizer["truncation"] = None
            tokenizer["padding"] = None
            return tokenizer, path
        vocab_path = os.path.join(folder, "vocab.txt")
        if os.path.exists(vocab_path):
            config_path = os.path.join(folder, "tokenizer_config.json")
            if os.path.exists(config_path):
                with open(config_path, encoding="utf-8") as f:
                    config = json.load(f)
                if config.get("do_lower_case"):
                    print(f"warning: {config_path}: do_lower_case is true; the bundle keeps lowercasing off "
                          f"(it would turn Korean into [UNK])", file=sys.stderr)
            return wordpiece_tokenizer_json(read_vocab(vocab_path)), vocab_path
    searched = ", ".join(f for f in folders if f)
    raise FileNotFoundError(
        f"no tokenizer.json or vocab.txt in {searched}; KoCLIP uses klue/roberta-large's tokenizer: "
        f"download it and pass --tokenizer DIR")


def synthetic_vocab(size=32000):
    """A klue-like vocabulary for random-weights bundles: specials, ASCII, Hangul syllables and ## forms."""
    tokens = list(SPECIAL_TOKENS)
    seen = set(tokens)

    def add(token):
        if token not in seen and len(tokens) < size:
            seen.add(token)
            tokens.append(token)

    printable = [chr(c) for c in range(33, 127)]
    for c in printable:
        add(c)
    for c in printable:
        add("##" + c)
    syllables = [chr(c) for c in range(0xAC00, 0xD7A4)]
    for s in syllables:
        add(s)
        add("##" + s)
    for i in range(size):
        add(f"[unused{i}]")
    return {t: i for i, t in enumerate(tokens)}


def basic_wordpiece(text, vocab, unk="[UNK]", cls="[CLS]", sep="[SEP]", max_length=None):
    """A reference implementation of the bundle tokenizer for tests: BERT basic split + greedy WordPiece.

    Handles whitespace and punctuation splitting (no lowercasing, no accent stripping, no CJK
    spacing beyond what the tests use).
    """
    words = []
    current = ""
    for ch in unicodedata.normalize("NFC", text):
        if ch.isspace():
            if current:
                words.append(current)
            current = ""
        elif _is_punctuation(ch):
            if current:
                words.append(current)
            words.append(ch)
            current = ""
        else:
            current += ch
    if current:
        words.append(current)
    ids = [vocab[cls]]
    for word in words:
        pieces = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in vocab:
                    found = piece
                    break
                end -= 1
            if found is None:
                pieces = [unk]
                break
            pieces.append(found)
            start = end
        ids.extend(vocab[p] for p in pieces)
    if max_length is not None:
        ids = ids[: max_length - 1]
    ids.append(vocab[sep])
    return ids


def _is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")
