"""Convert a CTranslate2 Whisper model folder into an openai-whisper checkpoint (.pt)."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import numpy as np

# Order of CTranslate2's type ids (ctranslate2/specs/model_spec.py, _dtype_to_type_id).
_CT2_DTYPES = ("float32", "int8", "int16", "int32", "float16", "bfloat16")


def read_ct2(path: str | Path) -> dict[str, np.ndarray]:
    """Read every variable of a CTranslate2 model.bin into float32 numpy arrays (aliases resolved)."""
    data = Path(path).read_bytes()
    pos = 0

    def take(fmt: str):
        nonlocal pos
        values = struct.unpack_from(fmt, data, pos)
        pos += struct.calcsize(fmt)
        return values[0] if len(values) == 1 else values

    def string() -> str:
        nonlocal pos
        length = take("H")
        text = data[pos:pos + length - 1].decode("utf-8")
        pos += length
        return text

    version = take("I")
    if version < 5:
        raise ValueError(f"unsupported CTranslate2 binary version {version}")
    string()  # spec name
    take("I")  # revision
    variables: dict[str, np.ndarray] = {}
    for _ in range(take("I")):
        name = string()
        ndim = take("B")
        shape = [take("I") for _ in range(ndim)]
        dtype = _CT2_DTYPES[take("B")]
        nbytes = take("I")
        raw = data[pos:pos + nbytes]
        pos += nbytes
        if dtype == "bfloat16":
            array = (np.frombuffer(raw, np.uint16).astype(np.uint32) << 16).view(np.float32)
        else:
            array = np.frombuffer(raw, dtype)
        variables[name] = array.reshape(shape).astype(np.float32) if dtype != "int32" else array.reshape(shape)
    for _ in range(take("I")):
        alias, target = string(), string()
        variables[alias] = variables[target]
    return variables


def _attention(out: dict, prefix: str, ct2: dict, src: str, fused: str, n_state: int) -> None:
    """Split one CTranslate2 attention block into openai-whisper's query/key/value/out tensors."""
    if fused == "qkv":  # self-attention: linear_0 = [q; k; v], linear_1 = out
        w, b = ct2[f"{src}/linear_0/weight"], ct2[f"{src}/linear_0/bias"]
        q_w, k_w, v_w = np.split(w, 3)
        q_b, _, v_b = np.split(b, 3)  # whisper's key projection has no bias (CT2 stores zeros)
        out_name = f"{src}/linear_1"
    else:  # cross-attention: linear_0 = q, linear_1 = [k; v], linear_2 = out
        q_w, q_b = ct2[f"{src}/linear_0/weight"], ct2[f"{src}/linear_0/bias"]
        k_w, v_w = np.split(ct2[f"{src}/linear_1/weight"], 2)
        v_b = np.split(ct2[f"{src}/linear_1/bias"], 2)[1]
        out_name = f"{src}/linear_2"
    out.update({
        f"{prefix}.query.weight": q_w, f"{prefix}.query.bias": q_b,
        f"{prefix}.key.weight": k_w,
        f"{prefix}.value.weight": v_w, f"{prefix}.value.bias": v_b,
        f"{prefix}.out.weight": ct2[f"{out_name}/weight"], f"{prefix}.out.bias": ct2[f"{out_name}/bias"],
    })


def _norm(out: dict, prefix: str, ct2: dict, src: str) -> None:
    out[f"{prefix}.weight"] = ct2[f"{src}/gamma"]
    out[f"{prefix}.bias"] = ct2[f"{src}/beta"]


def _ffn(out: dict, prefix: str, ct2: dict, src: str) -> None:
    for ours, theirs in (("mlp.0", "linear_0"), ("mlp.2", "linear_1")):
        out[f"{prefix}.{ours}.weight"] = ct2[f"{src}/{theirs}/weight"]
        out[f"{prefix}.{ours}.bias"] = ct2[f"{src}/{theirs}/bias"]
    _norm(out, f"{prefix}.mlp_ln", ct2, f"{src}/layer_norm")


def _count_layers(ct2: dict, side: str) -> int:
    found = {int(m.group(1)) for k in ct2 if (m := re.match(rf"{side}/layer_(\d+)/", k))}
    return max(found) + 1


def convert(ct2_dir: str | Path, out_path: str | Path) -> Path:
    """Write an openai-whisper checkpoint equivalent to the CTranslate2 model in ct2_dir."""
    import base64
    import gzip

    import torch

    ct2_dir, out_path = Path(ct2_dir), Path(out_path)
    ct2 = read_ct2(ct2_dir / "model.bin")
    config = json.loads((ct2_dir / "config.json").read_text())
    n_audio_layer, n_text_layer = _count_layers(ct2, "encoder"), _count_layers(ct2, "decoder")
    n_vocab, n_state = ct2["decoder/embeddings/weight"].shape
    dims = {
        "n_mels": ct2["encoder/conv1/weight"].shape[1],
        "n_audio_ctx": ct2["encoder/position_encodings/encodings"].shape[0],
        "n_audio_state": n_state,
        "n_audio_head": int(ct2["encoder/num_heads"]),
        "n_audio_layer": n_audio_layer,
        "n_vocab": n_vocab,
        "n_text_ctx": ct2["decoder/position_encodings/encodings"].shape[0],
        "n_text_state": n_state,
        "n_text_head": int(ct2["decoder/num_heads"]),
        "n_text_layer": n_text_layer,
    }
    sd: dict[str, np.ndarray] = {}
    for conv in ("conv1", "conv2"):
        sd[f"encoder.{conv}.weight"] = ct2[f"encoder/{conv}/weight"]
        sd[f"encoder.{conv}.bias"] = ct2[f"encoder/{conv}/bias"]
    sd["encoder.positional_embedding"] = ct2["encoder/position_encodings/encodings"]
    for i in range(n_audio_layer):
        src, dst = f"encoder/layer_{i}", f"encoder.blocks.{i}"
        _attention(sd, f"{dst}.attn", ct2, f"{src}/self_attention", "qkv", n_state)
        _norm(sd, f"{dst}.attn_ln", ct2, f"{src}/self_attention/layer_norm")
        _ffn(sd, dst, ct2, f"{src}/ffn")
    _norm(sd, "encoder.ln_post", ct2, "encoder/layer_norm")
    sd["decoder.token_embedding.weight"] = ct2["decoder/embeddings/weight"]
    sd["decoder.positional_embedding"] = ct2["decoder/position_encodings/encodings"]
    for i in range(n_text_layer):
        src, dst = f"decoder/layer_{i}", f"decoder.blocks.{i}"
        _attention(sd, f"{dst}.attn", ct2, f"{src}/self_attention", "qkv", n_state)
        _norm(sd, f"{dst}.attn_ln", ct2, f"{src}/self_attention/layer_norm")
        _attention(sd, f"{dst}.cross_attn", ct2, f"{src}/attention", "kv", n_state)
        _norm(sd, f"{dst}.cross_attn_ln", ct2, f"{src}/attention/layer_norm")
        _ffn(sd, dst, ct2, f"{src}/ffn")
    _norm(sd, "decoder.ln", ct2, "decoder/layer_norm")

    # Same encoding as whisper._ALIGNMENT_HEADS, so Whisper.set_alignment_heads() accepts it.
    mask = np.zeros((n_text_layer, dims["n_text_head"]), dtype=bool)
    for layer, head in config.get("alignment_heads", []):
        mask[layer, head] = True
    checkpoint = {
        "dims": dims,
        "model_state_dict": {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sd.items()},
        "alignment_heads": base64.b85encode(gzip.compress(mask.tobytes())),
    }
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_suffix(".tmp")
    torch.save(checkpoint, tmp)
    tmp.replace(out_path)  # atomic: a half-written checkpoint never looks installed
    return out_path
