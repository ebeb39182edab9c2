-- int.marche_bmo: hiring projects of the BMO survey per market cell and survey year: the
-- projects, and those judged difficult, of the cell's FAP-2021 families in its territory
-- (masked cells left out, as in prep.bmo). A cell's families are those of its vacancies
-- (int.marche_offres); a cell without vacancies (jobseekers only) takes the families of
-- its code for an unknown qualification (DARES's passage at level 0).
create or replace table int.marche_bmo as
with

faps_offres as (
    select
        niveau_code,
        code,
        niveau_territoire,
        code_territoire,
        type_periode,
        periode,
        unnest(familles_fap228) as code_fap
    from int.marche_offres
),

faps_sans_qualification as (
    -- v3 codes, their 4.0 children, and FAP-2009 families through their v3 codes
    select
        'rome3' as niveau_code,
        code_rome_parent as code,
        code_fap228 as code_fap
    from prep.rome_qualif_fap
    where qualification = '0'
    union
    select
        'rome4',
        rome.code_rome,
        passage.code_fap228
    from prep.rome as rome
    inner join prep.rome_qualif_fap as passage
        on rome.code_rome_parent = passage.code_rome_parent and passage.qualification = '0'
    union
    select
        'fap2009',
        rome_fap.code_fap,
        passage.code_fap228
    from prep.rome_fap as rome_fap
    inner join prep.rome_qualif_fap as passage
        on rome_fap.code_rome_parent = passage.code_rome_parent and passage.qualification = '0'
    where rome_fap.nomenclature = 'fap2009'
),

faps_cellule as (
    select
        niveau_code,
        code,
        niveau_territoire,
        code_territoire,
        type_periode,
        periode,
        code_fap
    from faps_offres
    union all
    select
        cellules.niveau_code,
        cellules.code,
        cellules.niveau_territoire,
        cellules.code_territoire,
        cellules.type_periode,
        cellules.periode,
        sans_qualification.code_fap
    from int.marche_cellules as cellules
    inner join faps_sans_qualification as sans_qualification
        on cellules.niveau_code = sans_qualification.niveau_code and cellules.code = sans_qualification.code
    anti join faps_offres
        on
            cellules.niveau_code = faps_offres.niveau_code and cellules.code = faps_offres.code
            and cellules.niveau_territoire = faps_offres.niveau_territoire
            and cellules.code_territoire = faps_offres.code_territoire
            and cellules.type_periode = faps_offres.type_periode and cellules.periode = faps_offres.periode
)

select
    faps.niveau_code,
    faps.code,
    faps.niveau_territoire,
    faps.code_territoire,
    faps.type_periode,
    faps.periode,
    bmo.annee,
    sum(bmo.projets) as projets,
    sum(bmo.projets_difficiles) as projets_difficiles
from faps_cellule as faps
inner join prep.bmo as bmo
    on
        faps.code_fap = bmo.code_fap and faps.niveau_territoire = bmo.niveau_territoire
        and faps.code_territoire = bmo.code_territoire
group by all
