"""Export the converted model's encoder to ONNX, once, beside its torch weights.

Questions are embedded with ONNX Runtime (index/onnx_queries.py): one short text runs
2.5x faster there than through torch and a server that only answers never imports
torch (about 5 s of its cold start). Passages are embedded in bulk by torch's bfloat16
products, or by the int8 copy of the graph written here (`EMBED_PRECISION=int8`).
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

log = logging.getLogger(__name__)

ONNX_FILE = "onnx/model.onnx"  # where sentence-transformers' own ONNX backend looks too
INT8_FILE = "onnx/model_qint8.onnx"
OPSET = 17


def write_onnx(model_dir: Path) -> None:
    """`model_dir`: a sentence-transformers folder whose first module is a BERT-style encoder.
    The graph maps (input_ids, attention_mask) to the last hidden state; pooling is done by
    the caller, as the folder's 1_Pooling config says."""
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    bert = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()
    sample = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)(["query: 样例"], return_tensors="pt")

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    out = model_dir / ONNX_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    axes = {0: "batch", 1: "tokens"}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")  # tracer notes about Python branches on shapes: checked by parity below
        torch.onnx.export(Encoder(), (sample["input_ids"], sample["attention_mask"]), str(out),
                          input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                          dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
                          opset_version=OPSET, dynamo=False)
    log.info("exported the encoder to %s", out)


def write_int8(model_dir: Path) -> None:
    """The exported graph with its weight products in int8 (per output channel) and its
    embedding table in int8; products of two activations (attention) stay float32, which
    kept the worst passage's cosine to float32 at 0.991 instead of 0.978 (bench/embed_speed.py)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(model_dir / ONNX_FILE), str(model_dir / INT8_FILE), weight_type=QuantType.QInt8,
                     per_channel=True, extra_options={"MatMulConstBOnly": True})
    log.info("wrote the int8 encoder to %s", model_dir / INT8_FILE)
