from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile nlpkit's modules once, before the test workers start. The hundreds of `nlpkit` processes the
    tests run then load bytecode, as an installed package does, instead of each compiling the sources again
    where PYTHONDONTWRITEBYTECODE is set (as on CI machines): about 0.1 s of every process."""
    if hasattr(session.config, "workerinput"):
        return
    import compileall

    import nlpkit

    compileall.compile_dir(Path(nlpkit.__file__).parent, quiet=2)


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test may reach a hub; caches go to a temp folder."""
    cache = tmp_path_factory.getbasetemp() / "hf-cache"
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(cache))


@pytest.fixture
def data_dir() -> Path:
    return DATA


SENTENCES = [
    "the striker scored a goal in the match",
    "the team won the cup final",
    "the minister lost the vote in parliament",
    "the party won the election",
    "shares fell after the profit warning",
    "the bank raised interest rates",
]


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random BERT with a WordPiece vocabulary trained on a few sentences, saved to a folder."""
    import torch
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-bert")
    wp = BertWordPieceTokenizer(lowercase=True)
    wp.train_from_iterator(SENTENCES * 3, vocab_size=300, min_frequency=1)
    tokenizer = BertTokenizerFast(tokenizer_object=wp._tokenizer)
    tokenizer.save_pretrained(folder)
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
    )
    torch.manual_seed(0)
    BertModel(config).save_pretrained(folder, safe_serialization=True)
    return folder


@pytest.fixture(scope="session")
def tiny_bart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random BART with a byte-level BPE tokenizer trained on a few sentences, saved to a folder."""
    import torch
    from tokenizers import ByteLevelBPETokenizer, processors
    from transformers import BartConfig, BartForConditionalGeneration, PreTrainedTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-bart")
    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(SENTENCES * 3, vocab_size=400, min_frequency=1, special_tokens=specials)
    bpe.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> $B </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe._tokenizer,
        bos_token="<s>",
        pad_token="<pad>",
        eos_token="</s>",
        unk_token="<unk>",
        mask_token="<mask>",
        model_max_length=64,
    )
    tokenizer.save_pretrained(folder)
    config = BartConfig(
        vocab_size=len(tokenizer),
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        max_position_embeddings=64,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
        forced_eos_token_id=2,
    )
    torch.manual_seed(0)
    BartForConditionalGeneration(config).save_pretrained(folder, safe_serialization=True)
    return folder


def libraries_imported(code: str) -> list[str]:
    """Which of the heavy libraries a fresh interpreter has imported after running `code`."""
    probe = "\nimport sys\nprint(sorted(k for k in ('sklearn', 'skops', 'scipy', 'torch', 'transformers') if k in sys.modules))"
    r = subprocess.run([sys.executable, "-c", code + probe], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return list(ast.literal_eval(r.stdout.strip().splitlines()[-1]))


#: A Markdown post: front matter, a byline, links, an image, a quotation, a list and a code block.
MARKDOWN = """---
layout: post
title: "Council bans cruise ships"
---

*By Jane Doe, 3 May 2024*

The council voted on **Monday** to ban cruise ships from the [harbour](https://example.org/harbour).
The ban starts in 2027.

![The harbour at dawn](harbour.jpg)

## Reaction

> Traders said the ban would cost them `millions`.

- Ships over 1,000 passengers are banned.
- A new terminal will open.

```python
print("no story here")
```
"""
