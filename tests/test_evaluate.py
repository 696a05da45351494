"""Batch evaluation: readers, metrics, resumable runs, reports, and the Ray engine."""

import json

import pytest

from verify import evaluate as ev
from verify.cli import main
from verify.errors import InputError

ROWS = [
    {"id": str(i), "claim": claim, "label": label, "evidence": evidence}
    for i, (claim, label, evidence) in enumerate([
        ("The bridge cost $84 million.", "REFUTES", "The bridge cost $48 million."),
        ("The bridge cost $48 million.", "SUPPORTS", "The bridge cost $48 million."),
        ("The museum opened in 1989.", "contradiction", "The museum opened in 1998."),
        ("The museum opened in 1998.", "entailment", "The museum opened in 1998."),
        ("Salmon returned in 2019.", "NEI", "The river is 112 km long."),
        ("The mayor cut the ribbon.", "Supports", "Mayor Ruiz cut the ribbon."),
        ("The talks were on Tuesday.", "REFUTES", "The talks were on Thursday."),
        ("The plane landed safely.", "neutral", "Tickets cost 90 euros."),
    ] * 3)
]


@pytest.fixture()
def claims_file(tmp_path):
    path = tmp_path / "claims.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for i, row in enumerate(ROWS):
            row = dict(row, id=str(i))
            handle.write(json.dumps(row) + "\n")
    return path


def test_generic_readers_report_bad_rows(tmp_path):
    path = tmp_path / "claims.jsonl"
    path.write_text('{"claim": "A", "label": "SUPPORTS", "evidence": "A."}\n'
                    '{broken\n'
                    '{"claim": "B", "label": "DISPUTED"}\n'
                    '{"claim": "C", "label": "maybe"}\n'
                    '{"label": "REFUTES"}\n', encoding="utf-8")
    report = ev.ReadReport()
    items = list(ev.read_items(path, report=report))
    assert [i.claim for i in items] == ["A"] and items[0].evidence == ("A.",)
    assert report.malformed == [(2, "malformed JSON (Expecting property name enclosed in "
                                    "double quotes)"), (5, "no text in 'claim'")]
    assert report.unknown_labels == {"maybe": 1}
    assert report.left_out_labels == {"DISPUTED": 1}
    csv_path = tmp_path / "claims.csv"
    csv_path.write_text('id,statement,gold\n1,"A claim, with ""quotes""\nand a newline",'
                        'Refutes\n', encoding="utf-8")
    items = list(ev.read_items(csv_path, claim_column="statement", label_column="gold"))
    assert items[0].claim == 'A claim, with "quotes"\nand a newline'
    assert items[0].label == "REFUTED"
    with pytest.raises(InputError, match="no 'claim' column"):
        list(ev.read_items(csv_path))


def test_metrics_match_hand_computed_values():
    gold = ["SUPPORTED", "SUPPORTED", "REFUTED", "NOT ENOUGH INFO"]
    pred = ["SUPPORTED", "REFUTED", "REFUTED", "NOT ENOUGH INFO"]
    metrics = ev.compute_metrics(gold, pred, [0.9, 0.6, 0.8, 0.7], bootstrap=50)
    assert metrics["accuracy"] == 0.75
    assert metrics["per_label"]["REFUTED"]["precision"] == 0.5
    assert metrics["per_label"]["SUPPORTED"]["recall"] == 0.5
    assert metrics["balanced_accuracy"] == pytest.approx((0.5 + 1 + 1) / 3, abs=1e-4)
    assert metrics["confusion"]["matrix"][0] == [1, 1, 0]
    assert 0 <= metrics["ece"] <= 1 and len(metrics["ci95"]["macro_f1"]) == 2
    with pytest.raises(InputError, match="no valid rows"):
        ev.compute_metrics([], [], [])


def test_eval_writes_outputs_and_resumes_to_identical_metrics(claims_file, tmp_path,
                                                              tiny_nli_dir, monkeypatch):
    model = str(tiny_nli_dir)
    full = ev.evaluate(ev.read_items(claims_file), model=model, oracle_evidence=True,
                       out_dir=tmp_path / "full", batch_size=4, bootstrap=0)
    for name in ("predictions.jsonl", "metrics.json", "report.html"):
        assert (tmp_path / "full" / name).is_file()
    html = (tmp_path / "full" / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 2
    metrics = json.loads((tmp_path / "full" / "metrics.json").read_text())
    assert {"accuracy", "macro_f1", "balanced_accuracy", "per_label", "confusion",
            "n"} <= set(metrics)
    assert metrics["n"] == len(ROWS)

    # Kill a run after two batches, then resume it.
    real = ev.predict_batch
    calls = {"n": 0}

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(ev, "predict_batch", dying)
    with pytest.raises(KeyboardInterrupt):
        ev.evaluate(ev.read_items(claims_file), model=model, oracle_evidence=True,
                    out_dir=tmp_path / "killed", batch_size=4, bootstrap=0)
    with open(tmp_path / "killed" / "predictions.jsonl", "a") as handle:
        handle.write('{"id": "torn')  # a line cut short by the kill
    monkeypatch.setattr(ev, "predict_batch", real)
    resumed = ev.evaluate(ev.read_items(claims_file), model=model, oracle_evidence=True,
                          out_dir=tmp_path / "killed", batch_size=4, bootstrap=0)
    assert resumed.metrics["n"] == len(ROWS)
    for key in ("accuracy", "macro_f1", "balanced_accuracy", "confusion", "per_label"):
        assert resumed.metrics[key] == full.metrics[key]
    lines = (tmp_path / "killed" / "predictions.jsonl").read_text().splitlines()
    assert len(lines) == len(ROWS)

    # A folder from a run with other settings is refused.
    with pytest.raises(InputError, match="other settings"):
        ev.evaluate(ev.read_items(claims_file), model=model, oracle_evidence=True,
                    out_dir=tmp_path / "full", settings={"file": "other"}, bootstrap=0)


def test_eval_command_refuses_foreign_out_folder_unless_resume(claims_file, tmp_path,
                                                               tiny_nli_dir, capsys):
    args = ["eval", str(claims_file), "--oracle-evidence", "--out", str(tmp_path / "run"),
            "--model", str(tiny_nli_dir), "-q"]
    assert main(args) == 0
    assert "macro_f1" in capsys.readouterr().out
    assert main(args) == 1
    assert "--resume" in capsys.readouterr().err
    assert main(args + ["--resume"]) == 0
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"claim": "x", "label": "unknown"}\n')
    assert main(["eval", str(empty), "--oracle-evidence", "--model", str(tiny_nli_dir),
                 "-q"]) == 1
    assert "no valid rows" in capsys.readouterr().err


def test_eval_out_refuses_a_folder_of_other_files(claims_file, tmp_path, tiny_nli_dir, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "metrics.json").write_text('{"mine": true}', encoding="utf-8")
    args = ["eval", str(claims_file), "--oracle-evidence", "--out", str(folder),
            "--model", str(tiny_nli_dir), "-q"]
    assert main(args) == 2
    assert "holds no verify evaluation run" in capsys.readouterr().err
    assert main(args + ["--resume"]) == 2
    assert sorted(p.name for p in folder.iterdir()) == ["metrics.json"]
    assert (folder / "metrics.json").read_text(encoding="utf-8") == '{"mine": true}'


@pytest.mark.slow
def test_ray_engine_gives_the_same_predictions(claims_file, tmp_path, tiny_nli_dir):
    pytest.importorskip("ray", reason="the Ray engine needs the 'ray' extra")
    model = str(tiny_nli_dir)
    local = ev.evaluate(ev.read_items(claims_file), model=model, oracle_evidence=True,
                        bootstrap=0)
    from verify.evaluate_ray import evaluate_on_ray

    on_ray = evaluate_on_ray(ev.read_items(claims_file), model=model, oracle_evidence=True,
                             out_dir=tmp_path / "ray", batch_size=8, bootstrap=0)
    assert [r["prediction"] for r in on_ray.predictions] == \
        [r["prediction"] for r in local.predictions]
    assert (tmp_path / "ray" / "metrics.json").is_file()


def test_frank_summaries_are_checked_against_their_own_article(tmp_path, tiny_nli_dir,
                                                               capsys):
    # FRANK's format: an article, a machine summary, 1 when every summary sentence is true.
    article = ("The Riverside Bridge opened to traffic on Saturday. The bridge cost $48 "
               "million. Mayor Elena Ruiz cut the ribbon.")
    rows = [{"id": "a:bart", "document": article, "label": 0, "meta": {"origin": "cnndm"},
             "claim": "The bridge cost $84 million."},
            {"id": "a:pgn", "document": article, "label": 1, "meta": {"origin": "xsum"},
             "claim": "The Riverside Bridge opened on Saturday."},
            {"id": "broken", "label": "x"}]
    path = tmp_path / "frank.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = ev.ReadReport()
    items = list(ev.read_items(path, dataset="frank", report=report))
    assert [(i.label, i.origin) for i in items] == [("REFUTED", "cnndm"),
                                                     ("SUPPORTED", "xsum")]
    assert report.malformed and report.malformed[0][0] == 3
    # No --corpus: each summary's own article is its reference.
    assert main(["eval", str(path), "--dataset", "frank", "--model", str(tiny_nli_dir),
                 "--out", str(tmp_path / "run"), "--format", "json", "-q"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert metrics["n"] == 2 and set(metrics["by_origin"]) == {"cnndm", "xsum"}
    predictions = [json.loads(line) for line in
                   (tmp_path / "run" / "predictions.jsonl").read_text().splitlines()]
    first = next(p for p in predictions if p["id"] == "a:bart")
    # The slot check refutes the wrong amount whatever the (random) NLI model says.
    assert first["prediction"] == "REFUTED"
    assert first["claims"][0]["verdict"] == "REFUTED"
    # Each claim's probabilities are kept, for a decision fitted over claims
    # (bench/frank.py's engine_fitted_threshold).
    assert abs(sum(first["claims"][0]["probabilities"].values()) - 1) < 1e-3
    assert "$84 million" in first["explanation"] and "$48 million" in first["explanation"]
