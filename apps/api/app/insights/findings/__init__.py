"""Turning detector results into explained findings (one module per detector)."""
