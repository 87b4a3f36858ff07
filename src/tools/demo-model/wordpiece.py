"""WordPiece tokenizer: vocabulary building, a Python implementation of the
Hugging Face pipeline (BertNormalizer -> BertPreTokenizer -> WordPiece ->
[CLS] $A [SEP]) and a writer for the HF `tokenizer.json` format.

The Python tokenizer is what training and the reference data use; the Java
engine loads the written tokenizer.json with the Rust HF tokenizers library
(through DJL), and the reference ids let it check that both agree.

Vocabulary layout (ids):
  0..4   [PAD] [UNK] [CLS] [SEP] [MASK]
  then   every character seen in the corpus (and a-z, 0-9, ASCII punctuation),
         bare and as "##x" continuation (so any word made of seen characters
         never becomes [UNK])
  then   whole words (English words, Korean stems) and Korean particle /
         copula continuations such as ##이다 ##다 ##가 ##이 ##은 ##는 ##을 ##를.
Note strip_accents must be false: HF's BertNormalizer otherwise NFD-decomposes
Hangul when lowercasing and Korean turns into jamo / [UNK].
"""
import collections
import json
import string
import unicodedata

PAD, UNK, CLS, SEP, MASK = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
SPECIALS = [PAD, UNK, CLS, SEP, MASK]
MAX_INPUT_CHARS_PER_WORD = 100

# Korean particles / endings that are split off as "##" continuations.
KO_SUFFIXES = ["이다", "입니다", "다", "가", "이", "은", "는", "을", "를", "의", "에는", "에", "도", "와", "과"]


# --- HF BertNormalizer (clean_text, handle_chinese_chars, strip_accents=False, lowercase) ---

def _is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def _is_whitespace(ch):
    if ch in "\t\n\r":
        return True
    return ch.isspace()


def _is_chinese_char(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B920 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def normalize(text):
    out = []
    for ch in text:
        if ord(ch) == 0 or ord(ch) == 0xFFFD or _is_control(ch):
            continue
        if _is_whitespace(ch):
            out.append(" ")
        elif _is_chinese_char(ord(ch)):
            out.append(" " + ch + " ")
        else:
            out.append(ch)
    return "".join(out).lower()


# --- HF BertPreTokenizer: split on whitespace, isolate punctuation ---

def _is_punc(ch):
    return (ch in string.punctuation) or unicodedata.category(ch).startswith("P")


def pre_tokenize(text):
    words, cur = [], []
    for ch in text:
        if ch.isspace():
            if cur:
                words.append("".join(cur))
                cur = []
        elif _is_punc(ch):
            if cur:
                words.append("".join(cur))
                cur = []
            words.append(ch)
        else:
            cur.append(ch)
    if cur:
        words.append("".join(cur))
    return words


class WordPieceTokenizer:
    def __init__(self, vocab, max_length):
        """vocab: list of tokens (index = id)."""
        self.vocab = list(vocab)
        self.ids = {t: i for i, t in enumerate(self.vocab)}
        assert len(self.ids) == len(self.vocab), "duplicate tokens in vocab"
        self.max_length = max_length

    def word_pieces(self, word):
        """Greedy longest-match-first WordPiece of one pre-token (as HF's WordPiece model)."""
        if len(word) > MAX_INPUT_CHARS_PER_WORD:
            return [UNK]
        pieces, start = [], 0
        while start < len(word):
            end, cur = len(word), None
            while start < end:
                sub = word[start:end]
                if start > 0:
                    sub = "##" + sub
                if sub in self.ids:
                    cur = sub
                    break
                end -= 1
            if cur is None:
                return [UNK]
            pieces.append(cur)
            start = end
        return pieces

    def tokenize(self, text):
        return [p for w in pre_tokenize(normalize(text)) for p in self.word_pieces(w)]

    def encode(self, text, truncate=True):
        """Token ids with [CLS] ... [SEP]; truncation keeps [SEP] last (HF post-processor truncation)."""
        toks = self.tokenize(text)
        if truncate:
            toks = toks[: self.max_length - 2]
        return [self.ids[CLS]] + [self.ids[t] for t in toks] + [self.ids[SEP]]

    def batch(self, texts):
        """Right-padded int64 arrays (input_ids, attention_mask, position_ids 0..L-1)."""
        import numpy as np
        enc = [self.encode(t) for t in texts]
        L = max(len(e) for e in enc)
        ids = np.zeros((len(enc), L), dtype=np.int64)
        mask = np.zeros((len(enc), L), dtype=np.int64)
        for i, e in enumerate(enc):
            ids[i, : len(e)] = e
            mask[i, : len(e)] = 1
        pos = np.broadcast_to(np.arange(L, dtype=np.int64), (len(enc), L)).copy()
        return ids, mask, pos


# --- Vocabulary ---

def _is_hangul(word):
    return all("가" <= ch <= "힣" for ch in word)


def build_vocab(corpus, min_freq=1):
    """Build the vocabulary list from an iterable of caption strings."""
    words = collections.Counter()
    chars = set()
    for text in corpus:
        for w in pre_tokenize(normalize(text)):
            words[w] += 1
            chars.update(w)
    chars |= set(string.ascii_lowercase) | set(string.digits)
    punct = set(string.punctuation)
    chars |= punct
    vocab = list(SPECIALS)
    seen = set(vocab)

    def add(t):
        if t not in seen:
            seen.add(t)
            vocab.append(t)

    for ch in sorted(chars):
        add(ch)
    for ch in sorted(chars):
        if ch not in punct:  # punctuation is always its own pre-token
            add("##" + ch)
    # Whole words: every English word; Korean words unless they are a stem + particle
    # where the stem is itself a corpus word (those are covered by stem + "##particle").
    standalone = {w for w in words if words[w] >= min_freq}
    whole = []
    for w in sorted(standalone, key=lambda w: (-words[w], w)):
        if len(w) == 1 and not _is_hangul(w):
            continue
        if _is_hangul(w):
            if any(w.endswith(sfx) and len(w) > len(sfx) and w[: -len(sfx)] in standalone for sfx in KO_SUFFIXES):
                continue
        whole.append(w)
    for w in whole:
        add(w)
    for sfx in KO_SUFFIXES:
        add(sfx)
        add("##" + sfx)
    return vocab


# --- HF tokenizer.json ---

def tokenizer_json(vocab, max_length):
    specials = [{"id": vocab.index(t), "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                 "normalized": False, "special": True} for t in SPECIALS]
    return {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": max_length, "strategy": "LongestFirst", "stride": 0},
        "padding": None,
        "added_tokens": specials,
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": False, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": CLS, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": SEP, "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": CLS, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": SEP, "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": SEP, "type_id": 1}}],
            "special_tokens": {
                CLS: {"id": CLS, "ids": [vocab.index(CLS)], "tokens": [CLS]},
                SEP: {"id": SEP, "ids": [vocab.index(SEP)], "tokens": [SEP]},
            },
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {
            "type": "WordPiece",
            "unk_token": UNK,
            "continuing_subword_prefix": "##",
            "max_input_chars_per_word": MAX_INPUT_CHARS_PER_WORD,
            "vocab": {t: i for i, t in enumerate(vocab)},
        },
    }


def write_tokenizer_json(path, vocab, max_length):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(vocab, max_length), f, ensure_ascii=False, indent=1)
        f.write("\n")


def load_tokenizer_json(path):
    """Read back a tokenizer.json written by write_tokenizer_json."""
    with open(path, encoding="utf-8") as f:
        j = json.load(f)
    v = j["model"]["vocab"]
    vocab = [None] * len(v)
    for t, i in v.items():
        vocab[i] = t
    return WordPieceTokenizer(vocab, j["truncation"]["max_length"])
