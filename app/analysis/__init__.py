"""Analysis of interview answers: speech to text, speech features, video integrity, scoring.

Pure functions and model wrappers only: no database, no Flask, no queue. Workers call
`asr.load_engine()`, `video.load_models()` and `scoring.load_models()` once before forking.
"""
