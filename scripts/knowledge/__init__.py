"""Generate the world knowledge of reconciliation from maintained data packages.

    python -m scripts.knowledge            # write the next versions into pipeline/knowledge/
    python -m scripts.knowledge --measure  # coverage of each country package, field by field

A new release of the data is one command: the files are written, never edited by hand.
"""
