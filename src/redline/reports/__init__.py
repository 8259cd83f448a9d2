"""Reports for people outside the console: the case report (.docx) and evidence table (.xlsx)."""
