"""A small CLIP: ViT image tower + BERT-style text tower, both projected to a
shared embedding space without bias (KoCLIP's recipe).

Image tower (CLIP ViT): conv patch embedding (no bias), CLS token, learned
position embeddings, pre-LN ("ln_pre"), pre-LN transformer blocks, post-LN on
the CLS token, linear projection without bias.

Text tower (BERT/RoBERTa): word + position embeddings -> LayerNorm ->
post-LN transformer blocks with GELU -> pooler tanh(dense(h[CLS])) -> linear
projection without bias. Position ids are an explicit input (0..L-1), like the
exported KoCLIP text encoders; with `own_position_ids=True` the model computes
them itself (used by the "odd" test bundle).
"""
import math
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    embed_dim: int = 128
    image_size: int = 64
    patch: int = 8
    v_width: int = 128
    v_layers: int = 4
    v_heads: int = 4
    vocab_size: int = 300
    max_positions: int = 64
    t_width: int = 128
    t_layers: int = 3
    t_heads: int = 4
    mlp_ratio: int = 4
    own_position_ids: bool = False
    # "patch": one 8x8/stride-8 conv (plain ViT); "conv": a small convolutional stem
    # (3x3 stride-2 convs down to the same 8x8-pixel token grid, Xiao et al. 2021,
    # "Early convolutions help transformers see better"), which trains much faster.
    stem: str = "conv"
    stem_channels: int = 32

    def to_dict(self):
        return asdict(self)


class Attention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.head_dim = width // heads
        self.scale = self.head_dim ** -0.5
        self.qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, width)

    def forward(self, x, bias=None):
        b, n, d = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        att = torch.matmul(q, k.transpose(-1, -2)) * self.scale
        if bias is not None:
            att = att + bias
        att = att.softmax(dim=-1)
        y = torch.matmul(att, v).transpose(1, 2).reshape(b, n, d)
        return self.out(y)


class Block(nn.Module):
    """Transformer block; pre-LN (CLIP ViT) or post-LN (BERT)."""

    def __init__(self, width, heads, mlp_ratio, pre_ln):
        super().__init__()
        self.pre_ln = pre_ln
        self.attn = Attention(width, heads)
        self.ln1 = nn.LayerNorm(width)
        self.ln2 = nn.LayerNorm(width)
        self.fc1 = nn.Linear(width, width * mlp_ratio)
        self.fc2 = nn.Linear(width * mlp_ratio, width)

    def mlp(self, x):
        return self.fc2(F.gelu(self.fc1(x)))

    def forward(self, x, bias=None):
        if self.pre_ln:
            x = x + self.attn(self.ln1(x), bias)
            return x + self.mlp(self.ln2(x))
        x = self.ln1(x + self.attn(x, bias))
        return self.ln2(x + self.mlp(x))


class VisionTower(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        n = (cfg.image_size // cfg.patch) ** 2
        w = cfg.v_width
        if cfg.stem == "patch":
            self.patch = nn.Conv2d(3, w, cfg.patch, stride=cfg.patch, bias=False)
        else:
            # log2(patch) stride-2 3x3 convs, then a 1x1 conv to the width: same token grid.
            layers, c_in, c = [], 3, cfg.stem_channels
            for _ in range(int(round(math.log2(cfg.patch)))):
                layers += [nn.Conv2d(c_in, c, 3, stride=2, padding=1), nn.GELU()]
                c_in, c = c, c * 2
            layers.append(nn.Conv2d(c_in, w, 1, bias=False))
            self.patch = nn.Sequential(*layers)
        self.cls = nn.Parameter(torch.randn(w) * w ** -0.5)
        self.pos = nn.Parameter(torch.randn(n + 1, w) * 0.02)
        self.ln_pre = nn.LayerNorm(w)
        self.blocks = nn.ModuleList([Block(w, cfg.v_heads, cfg.mlp_ratio, pre_ln=True) for _ in range(cfg.v_layers)])
        self.ln_post = nn.LayerNorm(w)
        self.proj = nn.Linear(w, cfg.embed_dim, bias=False)

    def tokens(self, pixel_values):
        """All output tokens after the last block (no post-LN), [b, 1 + n, w]."""
        x = self.patch(pixel_values).flatten(2).transpose(1, 2)  # [b, n, w]
        cls = self.cls.expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + self.pos
        x = self.ln_pre(x)
        for blk in self.blocks:
            x = blk(x)
        return x

    def forward(self, pixel_values):
        return self.proj(self.ln_post(self.tokens(pixel_values)[:, 0]))


class TextTower(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        w = cfg.t_width
        self.own_position_ids = cfg.own_position_ids
        self.tok = nn.Embedding(cfg.vocab_size, w)
        self.pos = nn.Embedding(cfg.max_positions, w)
        self.ln_emb = nn.LayerNorm(w)
        self.blocks = nn.ModuleList([Block(w, cfg.t_heads, cfg.mlp_ratio, pre_ln=False) for _ in range(cfg.t_layers)])
        self.pooler = nn.Linear(w, w)
        self.proj = nn.Linear(w, cfg.embed_dim, bias=False)
        nn.init.normal_(self.tok.weight, std=0.02)
        nn.init.normal_(self.pos.weight, std=0.02)

    def forward(self, input_ids, attention_mask, position_ids=None):
        if position_ids is None:
            position_ids = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0).expand_as(input_ids)
        x = self.ln_emb(self.tok(input_ids) + self.pos(position_ids))
        # Additive attention bias: 0 for real tokens, -10000 for padding (BERT).
        bias = (1.0 - attention_mask.to(x.dtype))[:, None, None, :] * -10000.0
        for blk in self.blocks:
            x = blk(x, bias)
        pooled = torch.tanh(self.pooler(x[:, 0]))
        return self.proj(pooled)


class CLIP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.visual = VisionTower(cfg)
        self.text = TextTower(cfg)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def scale(self):
        return self.logit_scale.exp().clamp(max=100.0)


# --- ONNX export wrappers (fixed input signatures) ---

class ImageEncoder(nn.Module):
    def __init__(self, clip):
        super().__init__()
        self.visual = clip.visual

    def forward(self, pixel_values):
        return self.visual(pixel_values)


class TextEncoder(nn.Module):
    def __init__(self, clip):
        super().__init__()
        self.text = clip.text

    def forward(self, input_ids, attention_mask, position_ids):
        return self.text(input_ids, attention_mask, position_ids)


class TextEncoderOwnPositions(nn.Module):
    def __init__(self, clip):
        super().__init__()
        self.text = clip.text

    def forward(self, input_ids, attention_mask):
        return self.text(input_ids, attention_mask)
