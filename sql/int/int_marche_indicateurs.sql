-- int.marche_indicateurs: every component of the market per cell (int.marche_cellules),
-- side by side: vacancies and positions, jobseekers, their ratios, the BMO share of the
-- latest survey not after the period's year (annee_bmo; masked cells left out), the
-- Duncan index and the medians of the vacancies' content. "analyse".tension_marche
-- scores them.
create or replace table int.marche_indicateurs as
select
    grille.niveau_code,
    grille.code,
    grille.niveau_territoire,
    grille.code_territoire,
    grille.type_periode,
    grille.periode,
    grille.debut,
    coalesce(o.offres, 0) as offres,
    coalesce(o.postes, 0) as postes,
    d.demandeurs_a,
    d.demandeurs_abc,
    d.entrees_a,
    d.sorties_abc,
    coalesce(o.offres, 0) / nullif(d.entrees_a, 0) as ratio_tension,
    d.demandeurs_a / nullif(o.offres, 0) as demandeurs_par_offre,
    d.sorties_abc / nullif(d.demandeurs_abc, 0) as taux_ecoulement,
    bmo.annee as annee_bmo,
    bmo.projets as projets_bmo,
    bmo.projets_difficiles / nullif(bmo.projets, 0) as part_difficile_bmo,
    o.part_non_durable,
    duncan.indice_duncan as inadequation_geographique,
    o.part_salaire_affiche,
    o.salaire_median,
    o.part_manque_candidats,
    o.duree_publication_mediane_jours,
    o.taux_republication,
    o.experience_mediane_mois,
    o.diplome_median,
    o.longueur_description_mediane,
    o.nb_competences_median
from int.marche_cellules as grille
left join int.marche_offres as o
    on
        grille.niveau_code = o.niveau_code and grille.code = o.code
        and grille.niveau_territoire = o.niveau_territoire and grille.code_territoire = o.code_territoire
        and grille.type_periode = o.type_periode and grille.periode = o.periode
left join int.marche_demandeurs as d
    on
        grille.niveau_code = d.niveau_code and grille.code = d.code
        and grille.niveau_territoire = d.niveau_territoire and grille.code_territoire = d.code_territoire
        and grille.type_periode = d.type_periode and grille.periode = d.periode
asof left join int.marche_bmo as bmo
    on
        grille.niveau_code = bmo.niveau_code and grille.code = bmo.code
        and grille.niveau_territoire = bmo.niveau_territoire and grille.code_territoire = bmo.code_territoire
        and grille.type_periode = bmo.type_periode and grille.periode = bmo.periode
        and year(grille.debut) >= bmo.annee
left join int.marche_duncan as duncan
    on
        grille.niveau_code = duncan.niveau_code and grille.code = duncan.code
        and grille.niveau_territoire = duncan.niveau_territoire
        and grille.code_territoire = duncan.code_territoire
        and grille.type_periode = duncan.type_periode and grille.periode = duncan.periode
