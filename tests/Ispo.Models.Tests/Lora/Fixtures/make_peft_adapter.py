#!/usr/bin/python3
"""Writes a LoRA adapter for the Qwen2 reference checkpoint (../../Pretrained/Fixtures/reference/qwen2) in PEFT's
save_pretrained layout, and the per-token log-probs of the adapted model under the reference's independent PyTorch
forward (make_reference.py), run on W + (lora_alpha / r) * B @ A: PEFT's LoRA without rsLoRA, merged.

Run from this folder:  /usr/bin/python3 make_peft_adapter.py   (Debian's python3-torch; no network, no peft)
"""
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "..", "..", "Pretrained", "Fixtures", "reference")
sys.path.insert(0, REFERENCE)
import make_reference as ref  # noqa: E402

SEED = 20261208
RANK, ALPHA = 4, 6  # scale 1.5: a test that used alpha alone, or r alone, would miss
# Attention and MLP projections, not all of them: the loader must leave k_proj, gate_proj untouched.
TARGETS = ["q_proj", "v_proj", "o_proj", "up_proj", "down_proj"]
MODULE = {"q_proj": "self_attn", "k_proj": "self_attn", "v_proj": "self_attn", "o_proj": "self_attn",
          "gate_proj": "mlp", "up_proj": "mlp", "down_proj": "mlp"}


def main():
    cfg = ref.MODELS["qwen2"]
    index = list(ref.MODELS).index("qwen2")
    generator = torch.Generator().manual_seed(ref.SEED + index)  # the reference's own weights and token ids
    base = ref.random_weights(cfg, generator)
    ids = torch.randint(0, 257, (ref.SEQUENCE_LENGTH,), generator=generator).tolist()

    lora = torch.Generator().manual_seed(SEED)
    adapter, merged = {}, dict(base)
    for layer in range(cfg["num_hidden_layers"]):
        for target in TARGETS:
            name = f"model.layers.{layer}.{MODULE[target]}.{target}"
            w = base[name + ".weight"]
            a = torch.randn(RANK, w.shape[1], generator=lora) * 0.3
            b = torch.randn(w.shape[0], RANK, generator=lora) * 0.3
            adapter[f"base_model.model.{name}.lora_A.weight"] = a
            adapter[f"base_model.model.{name}.lora_B.weight"] = b
            merged[name + ".weight"] = w + (ALPHA / RANK) * (b @ a)

    folder = os.path.join(HERE, "peft-qwen2")
    os.makedirs(folder, exist_ok=True)
    ref.write_safetensors(os.path.join(folder, "adapter_model.safetensors"), adapter)
    # PEFT 0.13's LoraConfig as save_pretrained writes it (fields Ispo ignores included, as others' adapters have them).
    ref.write_json(os.path.join(folder, "adapter_config.json"), {
        "alpha_pattern": {}, "auto_mapping": None, "base_model_name_or_path": "reference/qwen2", "bias": "none",
        "fan_in_fan_out": False, "inference_mode": True, "init_lora_weights": True, "layer_replication": None,
        "layers_pattern": None, "layers_to_transform": None, "loftq_config": {}, "lora_alpha": ALPHA,
        "lora_dropout": 0.05, "megatron_config": None, "megatron_core": "megatron.core", "modules_to_save": None,
        "peft_type": "LORA", "r": RANK, "rank_pattern": {}, "revision": None, "target_modules": TARGETS,
        "task_type": "CAUSAL_LM", "use_dora": False, "use_rslora": False})
    with torch.no_grad():
        ref.write_json(os.path.join(folder, "expected.json"), {
            "torch_version": torch.__version__,
            "token_ids": ids,
            "logprobs_fp32": ref.forward_logprobs(cfg, merged, ids),
            "logprobs_base_fp32": ref.forward_logprobs(cfg, base, ids),
        })


if __name__ == "__main__":
    main()
