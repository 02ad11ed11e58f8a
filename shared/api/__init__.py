"""HTTP contracts: what each service's API accepts and answers, declared once.

The service answers with these models (adding, in its own entrypoints, how to build one from its
records) and the portal reads its answers into the very same models.
"""
