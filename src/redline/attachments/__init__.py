"""Attachments: text out of photos, PDFs, Word and Excel files, screened like messages (上网不涉密)."""
