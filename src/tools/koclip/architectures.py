"""The KoCLIP towers in plain PyTorch, with Hugging Face's module names so that state dicts load as-is.

- `RobertaTextModel`: RoBERTa as klue/roberta-large (post-LN BERT layers, exact GELU, pooler
  dense+tanh on CLS). Takes `position_ids` explicitly: KoCLIP's Flax training fed 0..L-1, whereas
  PyTorch RoBERTa would count from padding_idx + 1.
- `ClipVisionModel`: CLIP's vision transformer as `CLIPVisionModel` (pre-LN, QuickGELU, `pre_layrnorm`,
  `post_layernorm` on CLS); its parameters live under `vision_model.` like in transformers.
- `VitModel`: google/vit-*-patch16 as `ViTModel` (pre-LN, exact GELU, final `layernorm`, pooler
  dense+tanh on CLS).
- `TextEncoder` / `ImageEncoder`: a tower plus its bias-free projection, the graphs that are exported.

State-dict keys of `DualEncoder` equal those of transformers' `VisionTextDualEncoderModel`
(`text_model.…`, `vision_model.…`, `text_projection.weight`, `visual_projection.weight`,
`logit_scale`).
"""

import math
from dataclasses import dataclass, asdict

import torch
from torch import nn
import torch.nn.functional as F


@dataclass(frozen=True)
class TextConfig:
    """RoBERTa text tower; defaults are klue/roberta-large."""

    vocab_size: int = 32000
    hidden_size: int = 1024
    num_hidden_layers: int = 24
    num_attention_heads: int = 16
    intermediate_size: int = 4096
    max_position_embeddings: int = 514
    type_vocab_size: int = 1
    layer_norm_eps: float = 1e-5
    hidden_act: str = "gelu"
    pad_token_id: int = 1


@dataclass(frozen=True)
class VisionConfig:
    """Vision tower. kind "clip": CLIP ViT (defaults ViT-B/32); kind "vit": google ViT (see `VIT_L16`)."""

    kind: str = "clip"
    hidden_size: int = 768
    num_hidden_layers: int = 12
    num_attention_heads: int = 12
    intermediate_size: int = 3072
    image_size: int = 224
    patch_size: int = 32
    num_channels: int = 3
    layer_norm_eps: float = 1e-5
    hidden_act: str = "quick_gelu"
    qkv_bias: bool = True


CLIP_B32 = VisionConfig()
VIT_L16 = VisionConfig(
    kind="vit",
    hidden_size=1024,
    num_hidden_layers=24,
    num_attention_heads=16,
    intermediate_size=4096,
    image_size=224,
    patch_size=16,
    layer_norm_eps=1e-12,
    hidden_act="gelu",
)
ROBERTA_LARGE = TextConfig()


@dataclass(frozen=True)
class DualConfig:
    text: TextConfig
    vision: VisionConfig
    projection_dim: int = 512

    def to_dict(self):
        return {"text": asdict(self.text), "vision": asdict(self.vision), "projection_dim": self.projection_dim}


VARIANTS = {
    "base": DualConfig(ROBERTA_LARGE, CLIP_B32),
    "large": DualConfig(ROBERTA_LARGE, VIT_L16),
}


def activation(name):
    if name == "gelu":
        return lambda x: F.gelu(x)
    if name in ("gelu_new", "gelu_pytorch_tanh", "gelu_fast"):
        return lambda x: F.gelu(x, approximate="tanh")
    if name == "quick_gelu":
        return lambda x: x * torch.sigmoid(1.702 * x)
    if name == "relu":
        return F.relu
    raise ValueError(f"hidden_act {name!r} is not supported (gelu, gelu_new, quick_gelu, relu)")


def _attend(q, k, v, heads, head_dim, additive_mask=None):
    """Scaled dot-product attention; q, k, v [batch, seq, hidden]; additive_mask [batch, 1, 1, seq].

    `heads` and the head width are Python ints (static in the exported graph); batch and sequence
    stay symbolic.
    """
    def split(t):  # [batch, seq, hidden] -> [batch, heads, seq, head_dim]
        return t.reshape(t.shape[0], t.shape[1], heads, head_dim).transpose(1, 2)

    scores = torch.matmul(split(q), split(k).transpose(-1, -2)) * (1.0 / math.sqrt(head_dim))
    if additive_mask is not None:
        scores = scores + additive_mask
    context = torch.matmul(scores.softmax(dim=-1), split(v))
    return context.transpose(1, 2).reshape(q.shape[0], q.shape[1], heads * head_dim)


# ---------------------------------------------------------------------------------------------
# RoBERTa (names as transformers' RobertaModel)


class RobertaEmbeddings(nn.Module):
    def __init__(self, c: TextConfig):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, input_ids, position_ids):
        # Token type is always 0 (single sentence), so its embedding is row 0 broadcast.
        x = self.word_embeddings(input_ids) + self.position_embeddings(position_ids) + self.token_type_embeddings.weight[0]
        return self.LayerNorm(x)


class RobertaSelfAttention(nn.Module):
    def __init__(self, c: TextConfig):
        super().__init__()
        self.heads = c.num_attention_heads
        self.head_dim = c.hidden_size // c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, x, additive_mask):
        return _attend(self.query(x), self.key(x), self.value(x), self.heads, self.head_dim, additive_mask)


class DenseLayerNorm(nn.Module):
    """BERT's `…output`: dense, then LayerNorm(residual + dense)."""

    def __init__(self, width_in, width_out, eps):
        super().__init__()
        self.dense = nn.Linear(width_in, width_out)
        self.LayerNorm = nn.LayerNorm(width_out, eps=eps)

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class RobertaAttention(nn.Module):
    def __init__(self, c: TextConfig):
        super().__init__()
        self.self = RobertaSelfAttention(c)
        self.output = DenseLayerNorm(c.hidden_size, c.hidden_size, c.layer_norm_eps)

    def forward(self, x, additive_mask):
        return self.output(self.self(x, additive_mask), x)


class Intermediate(nn.Module):
    def __init__(self, width, intermediate, act):
        super().__init__()
        self.dense = nn.Linear(width, intermediate)
        self.act = activation(act)

    def forward(self, x):
        return self.act(self.dense(x))


class RobertaLayer(nn.Module):
    def __init__(self, c: TextConfig):
        super().__init__()
        self.attention = RobertaAttention(c)
        self.intermediate = Intermediate(c.hidden_size, c.intermediate_size, c.hidden_act)
        self.output = DenseLayerNorm(c.intermediate_size, c.hidden_size, c.layer_norm_eps)

    def forward(self, x, additive_mask):
        x = self.attention(x, additive_mask)
        return self.output(self.intermediate(x), x)


class RobertaEncoder(nn.Module):
    def __init__(self, c: TextConfig):
        super().__init__()
        self.layer = nn.ModuleList([RobertaLayer(c) for _ in range(c.num_hidden_layers)])

    def forward(self, x, additive_mask):
        for layer in self.layer:
            x = layer(x, additive_mask)
        return x


class Pooler(nn.Module):
    """tanh(dense(CLS)), as BERT's, RoBERTa's and ViT's poolers."""

    def __init__(self, width):
        super().__init__()
        self.dense = nn.Linear(width, width)

    def forward(self, hidden):
        return torch.tanh(self.dense(hidden[:, 0]))


class RobertaTextModel(nn.Module):
    def __init__(self, c: TextConfig):
        super().__init__()
        self.config = c
        self.embeddings = RobertaEmbeddings(c)
        self.encoder = RobertaEncoder(c)
        self.pooler = Pooler(c.hidden_size)

    def forward(self, input_ids, attention_mask, position_ids):
        """input_ids, attention_mask, position_ids [batch, seq] int64 -> pooler output [batch, hidden]."""
        # [batch, 1, 1, seq]: 0 where attended, the float minimum where masked (as transformers).
        additive = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min
        x = self.embeddings(input_ids, position_ids)
        return self.pooler(self.encoder(x, additive))


# ---------------------------------------------------------------------------------------------
# CLIP vision (names as transformers' CLIPVisionModel: everything under `vision_model.`)


class ClipVisionEmbeddings(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.class_embedding = nn.Parameter(torch.zeros(c.hidden_size))
        self.patch_embedding = nn.Conv2d(c.num_channels, c.hidden_size, c.patch_size, stride=c.patch_size, bias=False)
        self.position_embedding = nn.Embedding((c.image_size // c.patch_size) ** 2 + 1, c.hidden_size)

    def forward(self, pixel_values):
        # [batch, 3, H, W] -> [batch, patches, hidden]
        patches = self.patch_embedding(pixel_values).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(patches.shape[0], 1, -1)
        return torch.cat([cls, patches], dim=1) + self.position_embedding.weight


class ClipAttention(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.heads = c.num_attention_heads
        self.head_dim = c.hidden_size // c.num_attention_heads
        self.q_proj = nn.Linear(c.hidden_size, c.hidden_size)
        self.k_proj = nn.Linear(c.hidden_size, c.hidden_size)
        self.v_proj = nn.Linear(c.hidden_size, c.hidden_size)
        self.out_proj = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, x):
        return self.out_proj(_attend(self.q_proj(x), self.k_proj(x), self.v_proj(x), self.heads, self.head_dim))


class ClipMlp(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.fc1 = nn.Linear(c.hidden_size, c.intermediate_size)
        self.fc2 = nn.Linear(c.intermediate_size, c.hidden_size)
        self.act = activation(c.hidden_act)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class ClipEncoderLayer(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.self_attn = ClipAttention(c)
        self.layer_norm1 = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.mlp = ClipMlp(c)
        self.layer_norm2 = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, x):
        x = x + self.self_attn(self.layer_norm1(x))
        return x + self.mlp(self.layer_norm2(x))


class ClipEncoder(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.layers = nn.ModuleList([ClipEncoderLayer(c) for _ in range(c.num_hidden_layers)])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class ClipVisionTransformer(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.embeddings = ClipVisionEmbeddings(c)
        self.pre_layrnorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)  # sic: transformers' spelling
        self.encoder = ClipEncoder(c)
        self.post_layernorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, pixel_values):
        hidden = self.encoder(self.pre_layrnorm(self.embeddings(pixel_values)))
        return self.post_layernorm(hidden[:, 0])


class ClipVisionModel(nn.Module):
    """transformers' CLIPVisionModel wraps the transformer as `vision_model`."""

    def __init__(self, c: VisionConfig):
        super().__init__()
        self.config = c
        self.vision_model = ClipVisionTransformer(c)

    def forward(self, pixel_values):
        """pixel_values [batch, 3, size, size] -> post-layernorm CLS [batch, hidden]."""
        return self.vision_model(pixel_values)


# ---------------------------------------------------------------------------------------------
# google ViT (names as transformers' ViTModel)


class VitPatchEmbeddings(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.projection = nn.Conv2d(c.num_channels, c.hidden_size, c.patch_size, stride=c.patch_size)

    def forward(self, pixel_values):
        return self.projection(pixel_values).flatten(2).transpose(1, 2)


class VitEmbeddings(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.cls_token = nn.Parameter(torch.zeros(1, 1, c.hidden_size))
        self.patch_embeddings = VitPatchEmbeddings(c)
        self.position_embeddings = nn.Parameter(torch.zeros(1, (c.image_size // c.patch_size) ** 2 + 1, c.hidden_size))

    def forward(self, pixel_values):
        patches = self.patch_embeddings(pixel_values)
        cls = self.cls_token.expand(patches.shape[0], -1, -1)
        return torch.cat([cls, patches], dim=1) + self.position_embeddings


class VitSelfAttention(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.heads = c.num_attention_heads
        self.head_dim = c.hidden_size // c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size, bias=c.qkv_bias)
        self.key = nn.Linear(c.hidden_size, c.hidden_size, bias=c.qkv_bias)
        self.value = nn.Linear(c.hidden_size, c.hidden_size, bias=c.qkv_bias)

    def forward(self, x):
        return _attend(self.query(x), self.key(x), self.value(x), self.heads, self.head_dim)


class Dense(nn.Module):
    """ViT's `…output`: a dense layer in a `dense` submodule, residual added by the caller."""

    def __init__(self, width_in, width_out):
        super().__init__()
        self.dense = nn.Linear(width_in, width_out)

    def forward(self, x):
        return self.dense(x)


class VitAttention(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.attention = VitSelfAttention(c)
        self.output = Dense(c.hidden_size, c.hidden_size)

    def forward(self, x):
        return self.output(self.attention(x))


class VitLayer(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.attention = VitAttention(c)
        self.intermediate = Intermediate(c.hidden_size, c.intermediate_size, c.hidden_act)
        self.output = Dense(c.intermediate_size, c.hidden_size)
        self.layernorm_before = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.layernorm_after = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, x):
        x = x + self.attention(self.layernorm_before(x))
        return x + self.output(self.intermediate(self.layernorm_after(x)))


class VitEncoder(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.layer = nn.ModuleList([VitLayer(c) for _ in range(c.num_hidden_layers)])

    def forward(self, x):
        for layer in self.layer:
            x = layer(x)
        return x


class VitModel(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.config = c
        self.embeddings = VitEmbeddings(c)
        self.encoder = VitEncoder(c)
        self.layernorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.pooler = Pooler(c.hidden_size)

    def forward(self, pixel_values):
        """pixel_values [batch, 3, size, size] -> pooler output tanh(dense(layernorm(CLS))) [batch, hidden]."""
        return self.pooler(self.layernorm(self.encoder(self.embeddings(pixel_values))))


# ---------------------------------------------------------------------------------------------
# The dual encoder and the two exported graphs


def vision_tower(c: VisionConfig):
    if c.kind == "clip":
        return ClipVisionModel(c)
    if c.kind == "vit":
        return VitModel(c)
    raise ValueError(f"vision kind {c.kind!r} is not one of clip, vit")


class DualEncoder(nn.Module):
    """Parameter layout of transformers' VisionTextDualEncoderModel (and of KoCLIP's FlaxHybridCLIP)."""

    def __init__(self, c: DualConfig):
        super().__init__()
        self.config = c
        self.text_model = RobertaTextModel(c.text)
        self.vision_model = vision_tower(c.vision)
        self.text_projection = nn.Linear(c.text.hidden_size, c.projection_dim, bias=False)
        self.visual_projection = nn.Linear(c.vision.hidden_size, c.projection_dim, bias=False)
        # log of CLIP's temperature; transformers initializes it to log(1/0.07) = 2.6592.
        self.logit_scale = nn.Parameter(torch.tensor(2.6592))

    def text_encoder(self):
        return TextEncoder(self.text_model, self.text_projection)

    def image_encoder(self):
        return ImageEncoder(self.vision_model, self.visual_projection)


class TextEncoder(nn.Module):
    """(input_ids, attention_mask, position_ids) [batch, seq] int64 -> text_embeds [batch, projection] (unnormalized)."""

    def __init__(self, tower, projection):
        super().__init__()
        self.tower = tower
        self.projection = projection

    def forward(self, input_ids, attention_mask, position_ids):
        return self.projection(self.tower(input_ids, attention_mask, position_ids))


class ImageEncoder(nn.Module):
    """pixel_values [batch, 3, size, size] float32 -> image_embeds [batch, projection] (unnormalized)."""

    def __init__(self, tower, projection):
        super().__init__()
        self.tower = tower
        self.projection = projection

    def forward(self, pixel_values):
        return self.projection(self.tower(pixel_values))
