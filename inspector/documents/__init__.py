"""Documents: the 通报 as DOCX and PDF, inspection and campaign reports, the year's archive."""
