"""What every loader shares, below both the warehouse and the per-format loaders: the
parsed batch (``lots``), value parsers (``valeurs``), file checks and delimited files
(``fichiers``), workbooks (``classeurs``) and files of fixed layouts (``genres``)."""
