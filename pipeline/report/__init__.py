"""What people read: the terminal views (and the HTML report)."""
