"""Candidate rights (PIPL art. 44-47): the candidate's data export, deletion requests HR confirms or keeps with a
legal reason, the deletion itself, retention, the data package (the export with its files).

models (DeletionRequest, ExportArchive), scope (what a token or HR may export or delete), export (build_export,
render_html), archive and archive_zip (the data package: the export with the files themselves, a zip built by a job),
deletion (request, confirm, keep, execute), retention (the scheduled purge), views (the candidate's "my data" routes
and HR's /admin/privacy pages). Every domain's own data comes through its declared `personal_data` module
(app/core/personal_data.py); the access log every view writes is app/core/access_log.py. See docs/privacy.md.
"""
