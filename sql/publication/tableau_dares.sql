-- Our score against DARES's, per FAP 2009 family x territory x year (dashboard).
select
    code as fap,
    niveau_territoire || ':' || code_territoire as territoire,
    cast(annee as varchar) as annee,
    offres,
    score_tension,
    score_dares,
    annee_dares
from "analyse".comparaison_officielle
where niveau_code = 'fap2009' and score_dares is not null and score_tension is not null
order by code
