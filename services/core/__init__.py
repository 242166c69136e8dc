"""What every domain shares: the transition tables' rules, refusals, the vocabulary,
text cleaning and matching, settings. Nothing here changes state on its own.
"""
