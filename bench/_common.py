"""What every benchmark does at the end: print its JSON result, and save it if asked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def shared_data() -> Path | None:
    """../shared/data, or None after printing the JSON that says the benchmark skipped."""
    from verify.datasets import default_data_dir

    data = default_data_dir()
    if data is None:
        print(json.dumps({"skipped": "../shared/data is absent"}))
    return data


def emit(result: dict[str, Any], out: str | None) -> int:
    text = json.dumps(result, indent=2)
    print(text)
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
    return 0
