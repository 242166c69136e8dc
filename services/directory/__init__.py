"""Find a mentor: the public search, its SQL shapes per database, and the anonymous search log.
It only reads listings; the search log is its one write (`search_log.record_searches`).
"""
