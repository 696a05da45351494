import json
import subprocess
import sys

import pytest

from verify.cli import main


def test_score_json(tiny_nli_dir, capsys):
    code = main(["score", "--claim", "The talks were held on July 12.",
                 "--evidence", "Talks took place on July 12.", "--model", str(tiny_nli_dir),
                 "--format", "json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["label"] in {"SUPPORTED", "REFUTED", "NOT ENOUGH INFO"}
    assert sum(data["probabilities"].values()) == pytest.approx(1.0, abs=1e-4)
    assert data["model"] == str(tiny_nli_dir)


def test_score_table_reads_files(tiny_nli_dir, tmp_path, capsys):
    evidence = tmp_path / "evidence.txt"
    evidence.write_text("Talks took place on July 12.", encoding="utf-8")
    assert main(["score", "--claim", "Talks were held.", "--evidence", f"@{evidence}",
                 "--model", str(tiny_nli_dir)]) == 0
    assert "verdict:" in capsys.readouterr().out


@pytest.mark.parametrize("args,message", [
    (["score", "--claim", " ", "--evidence", "x"], "claim of pair 0 is empty"),
    (["score", "--claim", "x", "--evidence", "y", "--model", "no-such-model"],
     "Unknown model 'no-such-model'"),
    (["score", "--claim", "x", "--evidence", "@/no/such/file"], "does not exist"),
])
def test_user_errors_exit_1_with_one_line(args, message, capsys, tiny_nli_dir):
    if "--model" not in args:
        args += ["--model", str(tiny_nli_dir)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["score", "--claim", "x"])
    assert exc.value.code == 2


def test_models_lists_registry(capsys):
    assert main(["models", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = {m["name"] for m in data["models"]}
    assert {"verify-nli-minilm", "nli-deberta-v3-base", "nli-deberta-v3-xsmall",
            "deberta-v3-base-mnli-fever-anli"} <= names
    assert all("available_locally" in m for m in data["models"])


def test_installed_command_help_lists_subcommands():
    result = subprocess.run([sys.executable, "-m", "verify.cli", "--help"], capture_output=True,
                            text=True, check=True)
    for command in ("score", "models", "train-nli"):
        assert command in result.stdout
