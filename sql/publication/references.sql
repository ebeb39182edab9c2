-- The requisition references of every pilot company but the one given (NULL: all), that
-- the masking of free text hides (flows/render/commun.py, Masque).
select distinct reference
from "analyse".offres_entreprise
where entreprise is distinct from $sauf
