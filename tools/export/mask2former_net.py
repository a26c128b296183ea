"""GenEval's detector as plain PyTorch: Mask2Former with a Swin backbone, the network of mmdet 2.x
config `mask2former_swin-s-p4-w7-224_lsj_8x2_50e_coco` (spec geneval.md section 2.1), written for
ONNX export with dynamic input height/width.

Written from a reading of mmdet 2.25.3 (as vendored by Sense-X/Co-DETR: backbones/swin.py,
utils/transformer.py, utils/positional_encoding.py, plugins/msdeformattn_pixel_decoder.py,
dense_heads/mask2former_head.py, core/anchor/point_generator.py) and mmcv 1.x
(cnn/bricks/transformer.py, ops/multi_scale_deform_attn.py); no code of theirs is reused.
Module and parameter names follow mmdet's, so the official checkpoint's state_dict loads as is
(`load_mmdet_state_dict`).

Behaviour kept from mmdet on purpose (it changes numbers):
  * Swin blocks zero-pad the (already layer-normed) tokens bottom/right to multiples of the window
    and let the padding take part in attention (only the shifted-window region mask, -100, is
    applied); patch merging zero-pads odd sizes (never happens for inputs padded to 32);
  * the shifted-window mask is built over the padded size;
  * padding masks in the pixel decoder and the head are all zero (padding is not masked out);
  * reference points ((i + 0.5) * stride) / (size * stride), sampling offsets divided by (w, h);
  * masked cross-attention mask = sigmoid(bilinear-resized mask logits) < 0.5, rows that would be
    fully masked are un-masked; the first mask comes from the query features before any layer;
  * outputs are the last decoder layer's class logits and mask logits (1/4 of the input size).

Shape-dependent Python branches of mmdet (`if pad > 0`) are replaced by always-applied ops that are
no-ops for zero sizes, so the traced graph stays valid for any input size divisible by 32.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# ------------------------------------------------------------------ configurations

FULL = dict(
    embed_dims=96, depths=(2, 2, 18, 2), num_heads=(3, 6, 12, 24), window_size=7, mlp_ratio=4,
    feat_channels=256, enc_layers=6, enc_heads=8, enc_points=4, enc_ffn=1024,
    dec_layers=9, dec_heads=8, dec_ffn=2048, num_queries=100, num_classes=80, gn_groups=32,
)

# Same operators and structure, narrower and shallower; 100 queries and 81 logits as the contract.
TINY = dict(
    embed_dims=16, depths=(1, 1, 2, 1), num_heads=(1, 2, 2, 4), window_size=7, mlp_ratio=2,
    feat_channels=32, enc_layers=2, enc_heads=8, enc_points=4, enc_ffn=64,
    dec_layers=4, dec_heads=8, dec_ffn=64, num_queries=100, num_classes=80, gn_groups=32,
)

CONFIGS = {"full": FULL, "tiny": TINY}


def _size(x, dim):
    """A tensor dimension that stays symbolic in a traced graph."""
    return x.shape[dim]


# ------------------------------------------------------------------ Swin backbone

class FFN(nn.Module):
    """mmcv FFN with 2 fcs: layers.0 = (Linear, act), layers.1 = Linear; residual added."""

    def __init__(self, dims, hidden, act):
        super().__init__()
        self.layers = nn.Sequential(nn.Sequential(nn.Linear(dims, hidden), act), nn.Linear(hidden, dims))

    def forward(self, x, identity=None):
        return (x if identity is None else identity) + self.layers(x)


class WindowMSA(nn.Module):
    def __init__(self, dims, heads, ws):
        super().__init__()
        self.heads = heads
        self.ws = ws
        self.scale = (dims // heads) ** -0.5
        self.relative_position_bias_table = nn.Parameter(torch.zeros((2 * ws - 1) ** 2, heads))
        # index[i, j] = (row_i - row_j + ws - 1) * (2ws - 1) + (col_i - col_j + ws - 1)
        coords = torch.stack(torch.meshgrid(torch.arange(ws), torch.arange(ws), indexing="ij")).flatten(1)
        rel = coords[:, :, None] - coords[:, None, :] + (ws - 1)
        self.register_buffer("relative_position_index", rel[0] * (2 * ws - 1) + rel[1])
        self.qkv = nn.Linear(dims, dims * 3)
        self.proj = nn.Linear(dims, dims)

    def forward(self, x, mask=None):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0] * self.scale, qkv[1], qkv[2]
        attn = q @ k.transpose(-2, -1)
        bias = self.relative_position_bias_table[self.relative_position_index.reshape(-1)]
        attn = attn + bias.reshape(n, n, -1).permute(2, 0, 1).unsqueeze(0)
        if mask is not None:
            nw = mask.shape[0]
            attn = (attn.reshape(-1, nw, self.heads, n, n) + mask[None, :, None]).reshape(-1, self.heads, n, n)
        attn = attn.softmax(-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, c))


def _windows(x, ws):
    """(B, H, W, C), H and W multiples of ws -> (B*nW, ws*ws, C)."""
    b, h, w, c = x.shape
    x = x.reshape(b, h // ws, ws, w // ws, ws, c).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(-1, ws * ws, c)


def _unwindows(x, b, h, w, ws):
    c = x.shape[-1]
    x = x.reshape(b, h // ws, w // ws, ws, ws, c).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(b, h, w, c)


def _region_ids(n, ws, shift, device):
    """Per position 0..n-1 of a padded axis: 0 below n-ws, 1 below n-shift, else 2 (mmdet's slices)."""
    i = torch.arange(n, device=device)
    return (i >= n - ws).to(torch.float32) + (i >= n - shift).to(torch.float32)


class ShiftWindowMSA(nn.Module):
    def __init__(self, dims, heads, ws, shift):
        super().__init__()
        self.ws = ws
        self.shift = shift
        self.w_msa = WindowMSA(dims, heads, ws)

    def forward(self, x, hw):
        b, _, c = x.shape
        h, w = hw
        ws = self.ws
        x = x.reshape(b, h, w, c)
        pad_r = (ws - w % ws) % ws
        pad_b = (ws - h % ws) % ws
        x = F.pad(x, (0, 0, 0, pad_r, 0, pad_b))
        hp, wp = _size(x, 1), _size(x, 2)
        mask = None
        if self.shift > 0:
            x = torch.roll(x, shifts=(-self.shift, -self.shift), dims=(1, 2))
            ids = (_region_ids(hp, ws, self.shift, x.device)[:, None] * 3
                   + _region_ids(wp, ws, self.shift, x.device)[None, :])
            win = _windows(ids[None, :, :, None], ws)[..., 0]  # nW, ws*ws
            diff = win[:, None, :] - win[:, :, None]
            mask = torch.where(diff != 0, torch.full_like(diff, -100.0), torch.zeros_like(diff))
        out = self.w_msa(_windows(x, ws), mask=mask)
        out = _unwindows(out, b, hp, wp, ws)
        if self.shift > 0:
            out = torch.roll(out, shifts=(self.shift, self.shift), dims=(1, 2))
        return out[:, :h, :w, :].reshape(b, -1, c)


class SwinBlock(nn.Module):
    def __init__(self, dims, heads, hidden, ws, shift):
        super().__init__()
        self.norm1 = nn.LayerNorm(dims)
        self.attn = ShiftWindowMSA(dims, heads, ws, ws // 2 if shift else 0)
        self.norm2 = nn.LayerNorm(dims)
        self.ffn = FFN(dims, hidden, nn.GELU())

    def forward(self, x, hw):
        x = x + self.attn(self.norm1(x), hw)
        return self.ffn(self.norm2(x), identity=x)


class PatchMerging(nn.Module):
    """2x2 merge in nn.Unfold's channel order (c, ky, kx), LayerNorm, Linear without bias."""

    def __init__(self, cin, cout):
        super().__init__()
        self.norm = nn.LayerNorm(4 * cin)
        self.reduction = nn.Linear(4 * cin, cout, bias=False)

    def forward(self, x, hw):
        b, _, c = x.shape
        h, w = hw
        x = x.reshape(b, h, w, c).permute(0, 3, 1, 2)
        x = F.pad(x, (0, w % 2, 0, h % 2))
        hp, wp = _size(x, 2), _size(x, 3)
        x = x.reshape(b, c, hp // 2, 2, wp // 2, 2).permute(0, 2, 4, 1, 3, 5).reshape(b, -1, 4 * c)
        return self.reduction(self.norm(x)), (hp // 2, wp // 2)


class Stage(nn.Module):
    def __init__(self, dims, heads, hidden, depth, ws, downsample):
        super().__init__()
        self.blocks = nn.ModuleList(SwinBlock(dims, heads, hidden, ws, i % 2 == 1) for i in range(depth))
        self.downsample = PatchMerging(dims, 2 * dims) if downsample else None

    def forward(self, x, hw):
        for blk in self.blocks:
            x = blk(x, hw)
        if self.downsample is None:
            return x, hw, x, hw
        xd, hwd = self.downsample(x, hw)
        return xd, hwd, x, hw


class PatchEmbed(nn.Module):
    def __init__(self, dims, patch=4):
        super().__init__()
        self.patch = patch
        self.projection = nn.Conv2d(3, dims, patch, patch)
        self.norm = nn.LayerNorm(dims)

    def forward(self, x):
        p = self.patch
        x = F.pad(x, (0, (p - _size(x, 3) % p) % p, 0, (p - _size(x, 2) % p) % p))
        x = self.projection(x)
        hw = (_size(x, 2), _size(x, 3))
        return self.norm(x.flatten(2).transpose(1, 2)), hw


class SwinTransformer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg["embed_dims"]
        self.patch_embed = PatchEmbed(d)
        n = len(cfg["depths"])
        self.num_features = [d * 2 ** i for i in range(n)]
        self.stages = nn.ModuleList(
            Stage(self.num_features[i], cfg["num_heads"][i], cfg["mlp_ratio"] * self.num_features[i],
                  cfg["depths"][i], cfg["window_size"], i < n - 1) for i in range(n))
        for i in range(n):
            self.add_module(f"norm{i}", nn.LayerNorm(self.num_features[i]))

    def forward(self, x):
        x, hw = self.patch_embed(x)
        outs = []
        for i, stage in enumerate(self.stages):
            x, hw_next, out, out_hw = stage(x, hw)
            out = getattr(self, f"norm{i}")(out)
            outs.append(out.reshape(-1, out_hw[0], out_hw[1], self.num_features[i]).permute(0, 3, 1, 2))
            hw = hw_next
        return outs


# ------------------------------------------------------------------ pixel decoder

def sine_position_encoding(h, w, num_feats, device, temperature=10000, eps=1e-6, scale=2 * math.pi):
    """SinePositionalEncoding(normalize=True) of an all-zero padding mask: (1, 2*num_feats, h, w)."""
    ones = torch.ones((1, h, w), dtype=torch.float32, device=device)
    y = ones.cumsum(1)
    x = ones.cumsum(2)
    y = y / (y[:, -1:, :] + eps) * scale
    x = x / (x[:, :, -1:] + eps) * scale
    dim_t = torch.arange(num_feats, dtype=torch.float32, device=device)
    dim_t = temperature ** (2 * torch.div(dim_t, 2, rounding_mode="floor") / num_feats)
    px = x[..., None] / dim_t
    py = y[..., None] / dim_t
    px = torch.stack((px[..., 0::2].sin(), px[..., 1::2].cos()), dim=4).reshape(1, h, w, -1)
    py = torch.stack((py[..., 0::2].sin(), py[..., 1::2].cos()), dim=4).reshape(1, h, w, -1)
    return torch.cat((py, px), dim=3).permute(0, 3, 1, 2)


class ConvGN(nn.Module):
    """mmcv ConvModule(conv, GN, optional ReLU): submodules `conv` and `gn`."""

    def __init__(self, cin, cout, k, bias, groups, relu):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, padding=k // 2, bias=bias)
        self.gn = nn.GroupNorm(groups, cout)
        self.relu = relu

    def forward(self, x):
        x = self.gn(self.conv(x))
        return F.relu(x) if self.relu else x


class MSDeformAttn(nn.Module):
    """mmcv MultiScaleDeformableAttention (batch_first=False), the grid_sample formulation."""

    def __init__(self, dims, heads, levels, points):
        super().__init__()
        self.heads, self.levels, self.points = heads, levels, points
        self.sampling_offsets = nn.Linear(dims, heads * levels * points * 2)
        self.attention_weights = nn.Linear(dims, heads * levels * points)
        self.value_proj = nn.Linear(dims, dims)
        self.output_proj = nn.Linear(dims, dims)

    def forward(self, query, query_pos, reference_points, shapes):
        """query (N, 1, C) tokens of all levels; reference_points (1, N, levels, 2);
        shapes: per level (h, w), possibly symbolic."""
        identity = query
        q = (query + query_pos).permute(1, 0, 2)
        value = self.value_proj(query.permute(1, 0, 2))
        b, n, c = value.shape
        hd = c // self.heads
        value = value.reshape(b, n, self.heads, hd)
        off = self.sampling_offsets(q).reshape(b, n, self.heads, self.levels, self.points, 2)
        aw = self.attention_weights(q).reshape(b, n, self.heads, self.levels * self.points).softmax(-1)
        sampled = []
        start = 0
        for lvl, (h, w) in enumerate(shapes):
            norm = torch.stack([torch.as_tensor(w), torch.as_tensor(h)]).to(torch.float32)
            loc = reference_points[:, :, None, lvl, None, :] + off[:, :, :, lvl] / norm
            grid = (2 * loc - 1).transpose(1, 2).flatten(0, 1)  # b*heads, n, points, 2
            v = value[:, start:start + h * w].flatten(2).transpose(1, 2).reshape(b * self.heads, hd, h, w)
            sampled.append(F.grid_sample(v, grid, mode="bilinear", padding_mode="zeros", align_corners=False))
            start = start + h * w
        aw = aw.transpose(1, 2).reshape(b * self.heads, 1, n, self.levels * self.points)
        out = (torch.stack(sampled, dim=-2).flatten(-2) * aw).sum(-1).reshape(b, c, n).transpose(1, 2)
        return self.output_proj(out).permute(1, 0, 2) + identity


class EncoderLayer(nn.Module):
    """BaseTransformerLayer(self_attn=MSDeformAttn, norm, ffn, norm)."""

    def __init__(self, dims, heads, levels, points, ffn):
        super().__init__()
        self.attentions = nn.ModuleList([MSDeformAttn(dims, heads, levels, points)])
        self.ffns = nn.ModuleList([FFN(dims, ffn, nn.ReLU())])
        self.norms = nn.ModuleList([nn.LayerNorm(dims), nn.LayerNorm(dims)])

    def forward(self, x, pos, ref, shapes):
        x = self.norms[0](self.attentions[0](x, pos, ref, shapes))
        return self.norms[1](self.ffns[0](x))


class LayerSequence(nn.Module):
    def __init__(self, layers, post_norm_dims=None):
        super().__init__()
        self.layers = nn.ModuleList(layers)
        if post_norm_dims:
            self.post_norm = nn.LayerNorm(post_norm_dims)


class MSDeformAttnPixelDecoder(nn.Module):
    def __init__(self, in_channels, strides, cfg):
        super().__init__()
        fc, g = cfg["feat_channels"], cfg["gn_groups"]
        self.strides = strides
        self.levels = 3
        n_in = len(in_channels)
        self.input_convs = nn.ModuleList(
            ConvGN(in_channels[i], fc, 1, True, g, False) for i in range(n_in - 1, n_in - 1 - self.levels, -1))
        self.encoder = LayerSequence(
            [EncoderLayer(fc, cfg["enc_heads"], self.levels, cfg["enc_points"], cfg["enc_ffn"])
             for _ in range(cfg["enc_layers"])])
        self.level_encoding = nn.Embedding(self.levels, fc)
        self.lateral_convs = nn.ModuleList([ConvGN(in_channels[0], fc, 1, False, g, False)])
        self.output_convs = nn.ModuleList([ConvGN(fc, fc, 3, False, g, True)])
        self.mask_feature = nn.Conv2d(fc, fc, 1)
        self.num_feats = fc // 2

    def forward(self, feats):
        tokens, pos, refs, shapes = [], [], [], []
        n_in = len(feats)
        for i in range(self.levels):
            li = n_in - 1 - i
            f = feats[li]
            h, w = _size(f, 2), _size(f, 3)
            proj = self.input_convs[i](f)
            p = self.level_encoding.weight[i].reshape(1, -1, 1, 1) + sine_position_encoding(h, w, self.num_feats, f.device)
            s = self.strides[li]
            ys, xs = torch.meshgrid((torch.arange(h, device=f.device) + 0.5) * s,
                                    (torch.arange(w, device=f.device) + 0.5) * s, indexing="ij")
            factor = torch.stack([torch.as_tensor(w), torch.as_tensor(h)]).to(torch.float32) * s
            refs.append(torch.stack([xs.reshape(-1), ys.reshape(-1)], -1).to(torch.float32) / factor)
            tokens.append(proj.flatten(2).permute(2, 0, 1))
            pos.append(p.flatten(2).permute(2, 0, 1))
            shapes.append((h, w))
        x = torch.cat(tokens, 0)
        pos = torch.cat(pos, 0)
        ref = torch.cat(refs, 0)[None, :, None].repeat(1, 1, self.levels, 1)
        for layer in self.encoder.layers:
            x = layer(x, pos, ref, shapes)
        mem = x.permute(1, 2, 0)
        outs = []
        start = 0
        for h, w in shapes:
            outs.append(mem[:, :, start:start + h * w].reshape(1, -1, h, w))
            start = start + h * w
        lat = self.lateral_convs[0](feats[0])
        y = lat + F.interpolate(outs[-1], size=(_size(lat, 2), _size(lat, 3)), mode="bilinear", align_corners=False)
        y = self.output_convs[0](y)
        return self.mask_feature(y), outs  # outs: 1/32, 1/16, 1/8


# ------------------------------------------------------------------ transformer decoder and head

class MultiheadAttention(nn.Module):
    """mmcv MultiheadAttention over torch's nn.MultiheadAttention parameters (attn.in_proj_*,
    attn.out_proj); q = query + query_pos, k = key + key_pos, v = value; output + identity."""

    def __init__(self, dims, heads):
        super().__init__()
        self.heads = heads
        self.attn = nn.Module()
        self.attn.in_proj_weight = nn.Parameter(torch.empty(3 * dims, dims))
        self.attn.in_proj_bias = nn.Parameter(torch.zeros(3 * dims))
        self.attn.out_proj = nn.Linear(dims, dims)

    def forward(self, query, key, value, query_pos, key_pos, attn_mask=None):
        lq, b, c = query.shape
        lk = key.shape[0]
        hd = c // self.heads
        wq, wk, wv = self.attn.in_proj_weight.chunk(3)
        bq, bk, bv = self.attn.in_proj_bias.chunk(3)
        q = F.linear(query + query_pos, wq, bq).reshape(lq, b * self.heads, hd).transpose(0, 1)
        k = F.linear(key + key_pos, wk, bk).reshape(lk, b * self.heads, hd).transpose(0, 1)
        v = F.linear(value, wv, bv).reshape(lk, b * self.heads, hd).transpose(0, 1)
        scores = (q / math.sqrt(hd)) @ k.transpose(1, 2)
        if attn_mask is not None:
            scores = scores.masked_fill(attn_mask, float("-inf"))
        out = (scores.softmax(-1) @ v).transpose(0, 1).reshape(lq, b, c)
        return query + self.attn.out_proj(out)


class DecoderLayer(nn.Module):
    """cross_attn, norm, self_attn, norm, ffn, norm."""

    def __init__(self, dims, heads, ffn):
        super().__init__()
        self.attentions = nn.ModuleList([MultiheadAttention(dims, heads), MultiheadAttention(dims, heads)])
        self.ffns = nn.ModuleList([FFN(dims, ffn, nn.ReLU())])
        self.norms = nn.ModuleList([nn.LayerNorm(dims) for _ in range(3)])

    def forward(self, x, qpos, mem, mpos, mask):
        x = self.norms[0](self.attentions[0](x, mem, mem, qpos, mpos, mask))
        x = self.norms[1](self.attentions[1](x, x, x, qpos, qpos))
        return self.norms[2](self.ffns[0](x))


class Mask2FormerHead(nn.Module):
    def __init__(self, in_channels, cfg):
        super().__init__()
        fc = cfg["feat_channels"]
        self.levels = 3
        self.heads = cfg["dec_heads"]
        self.pixel_decoder = MSDeformAttnPixelDecoder(in_channels, [4, 8, 16, 32], cfg)
        self.transformer_decoder = LayerSequence(
            [DecoderLayer(fc, cfg["dec_heads"], cfg["dec_ffn"]) for _ in range(cfg["dec_layers"])], fc)
        self.query_embed = nn.Embedding(cfg["num_queries"], fc)
        self.query_feat = nn.Embedding(cfg["num_queries"], fc)
        self.level_embed = nn.Embedding(self.levels, fc)
        self.cls_embed = nn.Linear(fc, cfg["num_classes"] + 1)
        self.mask_embed = nn.Sequential(nn.Linear(fc, fc), nn.ReLU(), nn.Linear(fc, fc), nn.ReLU(), nn.Linear(fc, fc))
        self.num_feats = fc // 2
        self.threshold_shift = 0.0

    def predict(self, x, mask_features, target, need_mask=True):
        x = self.transformer_decoder.post_norm(x).transpose(0, 1)
        cls = self.cls_embed(x)
        emb = self.mask_embed(x)
        b, c, h, w = mask_features.shape
        masks = (emb @ mask_features.reshape(b, c, -1)).reshape(b, -1, h, w)
        if not need_mask:
            return cls, masks, None
        m = F.interpolate(masks, size=target, mode="bilinear", align_corners=False)
        if self.threshold_shift:  # sensitivity checks only (tools/parity/mask2former_golden.py); 0 in exports
            m = m + self.threshold_shift
        m = m.flatten(2).unsqueeze(1).repeat(1, self.heads, 1, 1).flatten(0, 1).sigmoid() < 0.5
        full = m.sum(-1, keepdim=True) == m.shape[-1]
        return cls, masks, m & ~full

    def forward(self, feats):
        mask_features, mems = self.pixel_decoder(feats)
        inputs, pos, sizes = [], [], []
        for i in range(self.levels):
            m = mems[i]
            h, w = _size(m, 2), _size(m, 3)
            inputs.append(m.flatten(2).permute(2, 0, 1) + self.level_embed.weight[i].reshape(1, 1, -1))
            pos.append(sine_position_encoding(h, w, self.num_feats, m.device).flatten(2).permute(2, 0, 1))
            sizes.append((h, w))
        x = self.query_feat.weight.unsqueeze(1)
        qpos = self.query_embed.weight.unsqueeze(1)
        _, _, mask = self.predict(x, mask_features, sizes[0])
        layers = self.transformer_decoder.layers
        for i, layer in enumerate(layers):
            lvl = i % self.levels
            x = layer(x, qpos, inputs[lvl], pos[lvl], mask)
            last = i == len(layers) - 1
            cls, masks, mask = self.predict(x, mask_features, sizes[(i + 1) % self.levels], need_mask=not last)
        return cls, masks


class Mask2Former(nn.Module):
    """pixel_values (1, 3, H, W), H and W multiples of 32 -> (cls_logits (1, Q, 81),
    mask_logits (1, Q, H/4, W/4)) of the last decoder layer."""

    def __init__(self, cfg):
        super().__init__()
        self.cfg = dict(cfg)
        self.backbone = SwinTransformer(cfg)
        self.panoptic_head = Mask2FormerHead(self.backbone.num_features, cfg)

    def forward(self, pixel_values):
        return self.panoptic_head(self.backbone(pixel_values))


# ------------------------------------------------------------------ weights

def load_mmdet_state_dict(model, ckpt):
    """Load an mmdet 2.x checkpoint (dict with 'state_dict', or the state_dict itself) strictly;
    raises SystemExit listing missing/unexpected keys or shape mismatches."""
    sd = ckpt.get("state_dict", ckpt) if isinstance(ckpt, dict) else ckpt
    own = model.state_dict()
    # relative_position_index is a constant buffer the network computes itself (same values as
    # mmdet's); a checkpoint without it is fine, one with it loads it
    missing = sorted(k for k in set(own) - set(sd) if not k.endswith("relative_position_index"))
    unexpected = sorted(set(sd) - set(own))
    shapes = [f"{k}: checkpoint {tuple(sd[k].shape)} vs network {tuple(own[k].shape)}"
              for k in own if k in sd and tuple(sd[k].shape) != tuple(own[k].shape)]
    if missing or unexpected or shapes:
        lines = ["the checkpoint does not match the Mask2Former network:"]
        for title, items in (("missing keys", missing), ("unexpected keys", unexpected), ("shape mismatches", shapes)):
            if items:
                lines.append(f"  {title} ({len(items)}):")
                lines.extend(f"    {k}" for k in items)
        raise SystemExit("\n".join(lines))
    model.load_state_dict({k: sd.get(k, v) for k, v in own.items()}, strict=True)
    return model


def random_weights(model, seed, fp16_exact=True):
    """Seeded random weights that give a working detector-like forward: LayerNorm/GroupNorm near
    identity, linear/conv weights of 1/sqrt(fan_in) scale, unit-scale embeddings, a class head
    whose logits vary over classes and queries and a mask head whose logits take both signs. With
    fp16_exact every value is representable in float16 (the fixture stores weights as float16)."""
    g = torch.Generator().manual_seed(seed)

    def randn(shape, scale=1.0):
        return scale * torch.randn(shape, generator=g)

    with torch.no_grad():
        for _, m in model.named_modules():
            if isinstance(m, (nn.LayerNorm, nn.GroupNorm)):
                m.weight.copy_(1 + randn(m.weight.shape, 0.1))
                m.bias.copy_(randn(m.bias.shape, 0.1))
            elif isinstance(m, (nn.Linear, nn.Conv2d)):
                m.weight.copy_(randn(m.weight.shape, 1 / math.sqrt(m.weight[0].numel())))
                if m.bias is not None:
                    m.bias.copy_(randn(m.bias.shape, 0.02))
            elif isinstance(m, nn.Embedding):
                m.weight.copy_(randn(m.weight.shape))
            elif isinstance(m, WindowMSA):
                m.relative_position_bias_table.copy_(randn(m.relative_position_bias_table.shape, 0.5))
            elif isinstance(m, MultiheadAttention):
                w = m.attn.in_proj_weight
                w.copy_(randn(w.shape, 1 / math.sqrt(w.shape[1])))
                m.attn.in_proj_bias.copy_(randn(m.attn.in_proj_bias.shape, 0.02))
        head = model.panoptic_head
        for layer in head.transformer_decoder.layers:
            # keep each query's identity through the residuals, so that classes vary over queries
            for a in layer.attentions:
                a.attn.out_proj.weight.mul_(0.3)
            layer.ffns[0].layers[1].weight.mul_(0.3)
        head.cls_embed.weight.mul_(4.0)
        # a common mask-feature component that the mask embeddings mostly oppose: masks cover
        # parts of the image (from none to most of it) instead of about half of everything
        common = head.pixel_decoder.mask_feature.bias
        common.copy_(randn(common.shape))
        head.mask_embed[4].bias.copy_(-0.1 * common)
        # mask logits of a few units: float32 noise stays well under the 1e-4 the tests allow
        head.mask_embed[4].weight.mul_(0.5)
        head.mask_embed[4].bias.mul_(0.5)
        for layer in head.pixel_decoder.encoder.layers:
            so = layer.attentions[0].sampling_offsets
            so.weight.mul_(0.5)
            so.bias.copy_(randn(so.bias.shape, 2.0))
        if fp16_exact:
            for p in model.parameters():
                p.copy_(p.half().float())
    return model.eval()
