-- prep.candidatures: one row per application with the last stage it reached, how it
-- ended and the delays between stages (days).
create or replace table prep.candidatures as
select
    candidatures.entreprise,
    candidatures.reference_recrutement as reference,
    candidatures.candidat_hash,
    coalesce(candidatures.canal, 'inconnu') as canal,
    candidatures.date_reception,
    candidatures.date_preselection,
    candidatures.date_entretien,
    candidatures.date_proposition,
    candidatures.date_embauche,
    candidatures.date_desistement,
    candidatures.date_refus,
    candidatures.motif,
    candidatures.date_preselection is not null as preselectionnee,
    candidatures.date_entretien is not null as entretien,
    candidatures.date_proposition is not null as proposition,
    candidatures.date_embauche is not null as embauchee,
    candidatures.date_desistement is not null as desistement,
    candidatures.date_refus is not null as refusee,
    case
        when candidatures.date_proposition is not null then 'proposition'
        when candidatures.date_entretien is not null then 'entretien'
        when candidatures.date_preselection is not null then 'preselection'
        else 'reception'
    end as etape_avant_issue,
    date_diff('day', candidatures.date_reception, candidatures.date_preselection) as delai_preselection_jours,
    date_diff('day', candidatures.date_preselection, candidatures.date_entretien) as delai_entretien_jours,
    date_diff('day', candidatures.date_entretien, candidatures.date_proposition) as delai_proposition_jours,
    date_diff('day', candidatures.date_proposition, candidatures.date_embauche) as delai_embauche_jours,
    date_diff('day', candidatures.date_reception, candidatures.date_proposition) as delai_reception_proposition_jours
from brut.candidatures as candidatures
