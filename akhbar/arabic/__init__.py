"""Arabic text and calendar helpers in pure Python (no Django imports).

Kept free of Django so that search backends, importers and benchmarks can reuse
and test them in isolation.
"""
