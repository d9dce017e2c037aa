#!/usr/bin/python3
"""Writes tiny random Qwen2 and Llama checkpoints and their per-token log-probs under an independent PyTorch
forward, written from the semantics of Hugging Face transformers' modeling_llama.py / modeling_qwen2.py /
modeling_rope_utils.py (eager attention), not from Ispo's code. Ispo's tests load these folders and compare.

Run from this folder:  /usr/bin/python3 make_reference.py   (Debian's python3-torch; no network, no transformers)
"""
import json
import math
import os
import struct

import torch

SEED = 20261207

MODELS = {
    # Llama: GQA (4 query heads over 2 key/value heads), head_dim 12 != hidden/heads, llama3 RoPE scaling with a
    # short original context so every band (kept, blended, divided) occurs, tied embeddings, no biases.
    "llama": dict(
        architectures=["LlamaForCausalLM"], model_type="llama", vocab_size=260, hidden_size=32,
        intermediate_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, head_dim=12,
        hidden_act="silu", rms_norm_eps=1e-5, max_position_embeddings=64, tie_word_embeddings=True,
        attention_bias=False, mlp_bias=False, bos_token_id=256, eos_token_id=256,
        rope=dict(rope_type="llama3", rope_theta=500000.0, factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                  original_max_position_embeddings=16)),
    # Qwen2: MQA (4 query heads, 1 key/value head), q/k/v biases, untied lm_head, theta 1e6.
    "qwen2": dict(
        architectures=["Qwen2ForCausalLM"], model_type="qwen2", vocab_size=260, hidden_size=32,
        intermediate_size=48, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=1,
        hidden_act="silu", rms_norm_eps=1e-6, max_position_embeddings=64, tie_word_embeddings=False,
        use_sliding_window=False, eos_token_id=256,
        rope=dict(rope_type="default", rope_theta=1000000.0)),
}

SEQUENCE_LENGTH = 40  # past llama's original context of 16


# ---- checkpoint ---------------------------------------------------------------------------------------------

def random_weights(cfg, generator):
    """HF parameter names and shapes; larger-than-usual scales so the log-probs are far from uniform."""
    h, i = cfg["hidden_size"], cfg["intermediate_size"]
    d = cfg.get("head_dim", h // cfg["num_attention_heads"])
    q, kv = cfg["num_attention_heads"] * d, cfg["num_key_value_heads"] * d
    biased = cfg["model_type"] == "qwen2"

    def normal(*shape, std=0.2, mean=0.0):
        return torch.randn(*shape, generator=generator, dtype=torch.float32) * std + mean

    w = {"model.embed_tokens.weight": normal(cfg["vocab_size"], h, std=0.5)}
    for layer in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        w[p + "input_layernorm.weight"] = normal(h, std=0.1, mean=1.0)
        w[p + "self_attn.q_proj.weight"] = normal(q, h)
        w[p + "self_attn.k_proj.weight"] = normal(kv, h)
        w[p + "self_attn.v_proj.weight"] = normal(kv, h)
        if biased:
            w[p + "self_attn.q_proj.bias"] = normal(q)
            w[p + "self_attn.k_proj.bias"] = normal(kv)
            w[p + "self_attn.v_proj.bias"] = normal(kv)
        w[p + "self_attn.o_proj.weight"] = normal(h, q)
        w[p + "post_attention_layernorm.weight"] = normal(h, std=0.1, mean=1.0)
        w[p + "mlp.gate_proj.weight"] = normal(i, h)
        w[p + "mlp.up_proj.weight"] = normal(i, h)
        w[p + "mlp.down_proj.weight"] = normal(h, i)
    w["model.norm.weight"] = normal(h, std=0.1, mean=1.0)
    if not cfg["tie_word_embeddings"]:
        w["lm_head.weight"] = normal(cfg["vocab_size"], h)
    return w


def write_safetensors(path, tensors):
    """The safetensors format: u64 little-endian header length, a JSON header (padded with spaces to a multiple
    of 8), then each tensor's raw little-endian bytes, in header order."""
    names = sorted(tensors)
    header, blobs, offset = {}, [], 0
    for name in names:
        t = tensors[name].contiguous()
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[name] = {"dtype": {torch.float32: "F32", torch.bfloat16: "BF16"}[t.dtype],
                        "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


# ---- config.json in both layouts ----------------------------------------------------------------------------

def config_json(cfg, layout, dtype="float32"):
    out = {k: v for k, v in cfg.items() if k != "rope"}
    rope = dict(cfg["rope"])
    if layout == "v4":  # transformers 4.x: top-level rope_theta, rope_scaling null or a dict without the theta
        out["rope_theta"] = rope.pop("rope_theta")
        out["rope_scaling"] = None if rope["rope_type"] == "default" else rope
        out["torch_dtype"] = dtype
        out["transformers_version"] = "4.46.0"
    else:  # transformers 5: one rope_parameters dict holding theta and type; `dtype` replaces torch_dtype
        out["rope_parameters"] = rope
        out["dtype"] = dtype
        out["transformers_version"] = "5.0.0"
    return out


def bytes_to_unicode():
    """GPT-2's byte-level alphabet: printable Latin-1 bytes stand for themselves, the others map from U+0100 on."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    table, extra = {}, 0
    for b in range(256):
        if b in printable:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def tokenizer_json():
    """Byte-level BPE with no merges: ids 0-255 are the bytes, 256 is <|endoftext|> (ids 257-259 stay unused, as
    padded vocabularies leave rows no tokenizer id reaches)."""
    alphabet = bytes_to_unicode()
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": 256, "content": "<|endoftext|>", "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": False, "special": True}],
        "normalizer": None, "pre_tokenizer": byte_level, "post_processor": None, "decoder": byte_level,
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": {alphabet[b]: b for b in range(256)}, "merges": []},
    }


# ---- the reference forward ----------------------------------------------------------------------------------

def inverse_frequencies(cfg, head_dim):
    """modeling_rope_utils: default θ^(-2i/d) in fp32; llama3 keeps short wavelengths, divides long ones by
    `factor` and blends linearly (in 1/wavelength) between low_freq_factor and high_freq_factor."""
    rope = cfg["rope"]
    inv = 1.0 / (rope["rope_theta"] ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
    if rope["rope_type"] == "default":
        return inv
    factor, low, high = rope["factor"], rope["low_freq_factor"], rope["high_freq_factor"]
    old = rope["original_max_position_embeddings"]
    wavelen = 2 * math.pi / inv
    scaled = torch.where(wavelen > old / low, inv / factor, inv)
    smooth = (old / wavelen - low) / (high - low)
    blended = (1 - smooth) * scaled / factor + smooth * scaled
    medium = (wavelen >= old / high) & (wavelen <= old / low)
    return torch.where(medium, blended, scaled)


def rms_norm(x, weight, eps):
    """Normalise in fp32, cast back, then scale by the weight (LlamaRMSNorm / Qwen2RMSNorm)."""
    dtype = x.dtype
    x32 = x.float()
    x32 = x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + eps)
    return weight * x32.to(dtype)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def linear(x, w, b=None):
    return torch.nn.functional.linear(x, w, b)


def attention(x, w, p, cfg, cos, sin):
    t = x.shape[0]
    heads, kv_heads = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    d = cos.shape[-1]
    q = linear(x, w[p + "q_proj.weight"], w.get(p + "q_proj.bias")).view(t, heads, d).transpose(0, 1)
    k = linear(x, w[p + "k_proj.weight"], w.get(p + "k_proj.bias")).view(t, kv_heads, d).transpose(0, 1)
    v = linear(x, w[p + "v_proj.weight"], w.get(p + "v_proj.bias")).view(t, kv_heads, d).transpose(0, 1)
    q = q * cos + rotate_half(q) * sin
    k = k * cos + rotate_half(k) * sin
    k = k.repeat_interleave(heads // kv_heads, dim=0)  # repeat_kv: query head j reads kv head j // groups
    v = v.repeat_interleave(heads // kv_heads, dim=0)
    scores = torch.matmul(q, k.transpose(1, 2)) * d ** -0.5
    causal = torch.full((t, t), float("-inf")).triu(1)
    scores = scores + causal.to(scores.dtype)
    probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)  # eager attention's fp32 softmax
    out = torch.matmul(probs, v).transpose(0, 1).reshape(t, heads * d)
    return linear(out, w[p + "o_proj.weight"])


def forward_logprobs(cfg, w, ids):
    """log p(ids[i+1] | ids[..i]) for one sequence, computed in the weights' dtype, log-softmax in fp32."""
    dtype = w["model.embed_tokens.weight"].dtype
    head_dim = cfg.get("head_dim", cfg["hidden_size"] // cfg["num_attention_heads"])
    positions = torch.arange(len(ids)).float()
    freqs = torch.outer(positions, inverse_frequencies(cfg, head_dim))  # fp32, as HF's rotary embedding
    angles = torch.cat((freqs, freqs), dim=-1)
    cos, sin = angles.cos().to(dtype), angles.sin().to(dtype)
    eps = cfg["rms_norm_eps"]
    x = w["model.embed_tokens.weight"][torch.tensor(ids)]
    for layer in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        x = x + attention(rms_norm(x, w[p + "input_layernorm.weight"], eps), w, p + "self_attn.", cfg, cos, sin)
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        mlp = linear(torch.nn.functional.silu(linear(h, w[p + "mlp.gate_proj.weight"])) * linear(h, w[p + "mlp.up_proj.weight"]),
                     w[p + "mlp.down_proj.weight"])
        x = x + mlp
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else w["lm_head.weight"]
    logits = linear(x, head).float()
    logprobs = torch.log_softmax(logits, dim=-1)
    return logprobs[:-1].gather(-1, torch.tensor(ids[1:]).unsqueeze(-1)).squeeze(-1).tolist()


# ---- main ---------------------------------------------------------------------------------------------------

def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=1)
        f.write("\n")


def main():
    torch.manual_seed(SEED)
    here = os.path.dirname(os.path.abspath(__file__))
    for index, (name, cfg) in enumerate(MODELS.items()):
        generator = torch.Generator().manual_seed(SEED + index)
        fp32 = random_weights(cfg, generator)
        bf16 = {k: v.to(torch.bfloat16) for k, v in fp32.items()}
        ids = torch.randint(0, 257, (SEQUENCE_LENGTH,), generator=generator).tolist()
        folder = os.path.join(here, name)
        os.makedirs(folder, exist_ok=True)
        write_safetensors(os.path.join(folder, "model.safetensors"), fp32)
        write_safetensors(os.path.join(folder, "model.bf16.safetensors"), bf16)
        write_json(os.path.join(folder, "config.json"), config_json(cfg, "v4"))
        write_json(os.path.join(folder, "config.v5.json"), config_json(cfg, "v5"))
        write_json(os.path.join(folder, "tokenizer.json"), tokenizer_json())
        with torch.no_grad():
            expected = {
                "torch_version": torch.__version__,
                "token_ids": ids,
                # fp32 forward of model.safetensors
                "logprobs_fp32": forward_logprobs(cfg, fp32, ids),
                # fp32 forward of model.bf16.safetensors's weights (exactly representable in fp32)
                "logprobs_bf16_weights_fp32": forward_logprobs(cfg, {k: v.float() for k, v in bf16.items()}, ids),
                # bf16 forward of model.bf16.safetensors, as transformers runs a bf16 model
                "logprobs_bf16": forward_logprobs(cfg, bf16, ids),
            }
        write_json(os.path.join(folder, "expected.json"), expected)


if __name__ == "__main__":
    main()
