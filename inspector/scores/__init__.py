"""Score sheets (评比通报): department roll-ups, rankings, trends, hot spots, exports."""
