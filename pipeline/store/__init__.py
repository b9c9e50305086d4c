"""The SQLite store: schema migrations, results, calls, exports."""
