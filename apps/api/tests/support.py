"""Helpers shared by tests."""

from pathlib import Path

SHARED_DIR = Path(__file__).resolve().parents[4] / "shared"
