-- Skills, diplomas, licences, languages and experience asked per v3 occupation of one
-- territory in one year, the most asked first (workbook for training bodies).
select
    code,
    categorie,
    element_libelle,
    exigence,
    offres,
    offres_total,
    part,
    evolution
from "analyse".competences_demandees
where
    niveau_code = 'rome3'
    and type_periode = 'annee'
    and periode = $annee
    and niveau_territoire = $niveau
    and code_territoire = $territoire
order by code asc, categorie asc, part desc, element_libelle asc
