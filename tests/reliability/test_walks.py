"""A walked directory never leads out of itself (issue: /etc/passwd was ingested through a link)."""

from __future__ import annotations

import os
from pathlib import Path

from ingest.pipeline import iter_files


def test_links_out_of_the_walked_directory_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("not a resume", encoding="utf-8")
    tree = tmp_path / "resumes"
    (tree / "team").mkdir(parents=True)
    own = tree / "team" / "ada.md"
    own.write_text("# Ada Lin\nEngineer", encoding="utf-8")
    os.symlink(secret, tree / "leak.txt")
    os.symlink(own, tree / "alias.md")  # a link that stays inside is fine
    os.symlink(tree, tree / "team" / "loop")  # a directory loop back to the root
    found = sorted(p.name for p in iter_files([tree]))
    assert "leak.txt" not in found
    assert found.count("ada.md") == 1 and "alias.md" in found
