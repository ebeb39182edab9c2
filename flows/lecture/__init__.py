"""What every loader shares, below both the warehouse and the per-format loaders: the
parsed batch (``lots``), value parsers (``valeurs``), file checks and delimited files
(``fichiers``), workbooks (``classeurs``), files of fixed layouts (``genres``), the
free-text labels of job offers (``libelles``) and the registry of sources (``registre``)."""
