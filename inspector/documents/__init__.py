"""Documents (公文): the 通报 as DOCX and PDF, inspection and campaign reports, the year's archive."""
