"""Reading articles: files, decoding, content hashes."""
