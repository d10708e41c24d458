"""Candidate rights and access audit (PIPL art. 44-47): the candidate's data export, deletion requests HR confirms
or keeps with a legal reason, the deletion itself, and the log of who viewed a report, a recording or a file.

models (DeletionRequest, AccessLog), audit (one INSERT per view or action), export (build_export, render_html),
deletion (request, confirm, keep, execute), views (the candidate's "my data" routes and HR's /admin/privacy pages).
See docs/privacy.md.
"""
