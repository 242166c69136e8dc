"""A mentor's listing: signing the Code, the profile, the owner's own changes, blocks.
Every change of its state goes through one door: `listing_lifecycle.move_listing`
(sample data and benchmarks: its bulk path beside it, `ListingBatch`).
"""
