-- One company's indicators against its peers (whole period), as "analyse".benchmark
-- publishes them (a figure withheld by the statistical-secrecy rule says why).
select
    rome_code_parent as metier,
    indicateur,
    valeur,
    secret,
    motif_secret,
    nb_pairs,
    pairs_mediane
from "analyse".benchmark
where entreprise = $entreprise and type_periode = 'ensemble'
order by metier, indicateur
