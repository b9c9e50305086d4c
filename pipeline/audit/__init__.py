"""Trust signals computed without a model: quotation marks, attribution, modality, dates.

Used by the batch run (signals are stored beside each result) and by the reports; never by
extraction, so the signals judge what the model returned instead of shaping it.
"""
