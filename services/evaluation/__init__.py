"""Evaluation: who took part in what, baselines, outcomes and effect sizes."""
