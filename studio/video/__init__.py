"""Explainer videos: scripts, timelines, the video plan and the explainer build."""
