-- The rules fired on one company's roles with a difficulty only (whole period), the
-- company's main roles first, then the rules furthest past their threshold.
with

preuves as (
    select *
    from "analyse".diagnostic_preuves
    where entreprise = $entreprise and type_periode = 'ensemble' and declenchee
),

difficiles as (
    select *
    from "analyse".diagnostic
    where difficulte
)

select
    preuves.rome_code_parent as metier,
    preuves.famille,
    preuves.regle,
    preuves.valeur,
    preuves.reference,
    preuves.seuil,
    preuves.force
from preuves
inner join difficiles
    on
        preuves.entreprise = difficiles.entreprise
        and preuves.rome_code_parent = difficiles.rome_code_parent
        and preuves.type_periode = difficiles.type_periode
        and preuves.periode = difficiles.periode
order by difficiles.recrutements desc, metier asc, preuves.force desc, preuves.regle asc
