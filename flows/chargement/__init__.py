"""The tasks and helpers of the ingestion flows (``flows/ingestion.py``): which files to
load (``fichiers``), one file at a time (``un_fichier``) or in bulk partitions
(``masse``), the progress shown meanwhile (``progression``) and the French summaries
(``bilans``). The only place, with ingestion itself, that imports ``flows.sources``."""
