"""Uploaded documents (PDF, DOCX, XLSX, images) attached to records, kept byte for byte."""
