-- Quarantined rows per source, field and reason, the most frequent first.
select
    source,
    champ,
    motif,
    lignes
from "analyse".quarantaine
order by lignes desc, source asc, champ asc, motif asc
