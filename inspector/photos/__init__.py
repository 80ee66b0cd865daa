"""Photos: uploading evidence and serving its re-encoded copies to those who may see it."""
