"""Recruiting analytics: funnel, bottleneck flags, post-hire calibration, adverse impact (docs/analytics.md)."""
