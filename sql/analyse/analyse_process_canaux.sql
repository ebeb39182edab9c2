-- "analyse".process_canaux: each pilot company's channels per v3 occupation over the
-- whole period: applications, how far they went, and the channel's yield (hires per
-- application) and share of the applications.
create or replace table "analyse".process_canaux as
with

candidatures as (
    select
        candidatures.entreprise,
        recrutements.rome_code_parent,
        candidatures.canal,
        candidatures.preselectionnee,
        candidatures.entretien,
        candidatures.embauchee
    from prep.candidatures as candidatures
    inner join int.recrutements as recrutements
        on
            candidatures.entreprise = recrutements.entreprise
            and candidatures.reference = recrutements.reference
)

select
    entreprise,
    rome_code_parent,
    canal,
    count(*) as candidatures,
    count(*) filter (where preselectionnee) as preselectionnees,
    count(*) filter (where entretien) as entretiens,
    count(*) filter (where embauchee) as embauches,
    count(*) filter (where embauchee) / count(*) as rendement,
    count(*) / sum(count(*)) over (partition by entreprise, rome_code_parent) as part_candidatures
from candidatures
group by entreprise, rome_code_parent, canal
