-- "analyse".passerelles: for each occupation x territory x period of
-- "analyse".tension_marche, the neighbouring occupations that lead to it (ROME mobility
-- paths source -> target among the first passerelles_rang_max of the source's list), with
-- their jobseekers (A and ABC), offers and own tension, beside the occupation's own pool.
--
-- Two levels, as in tension_marche: 'rome4' links the 4.0 codes of the paths themselves;
-- 'rome3' links v3 families (a family leads to another when one of its 4.0 codes has a
-- path to one of the other's; rang is the best such rank, nb_chemins how many there are,
-- metiers_sources the labels of the 4.0 codes they start from).
-- A path inside a family (I1326 -> I1304) is no passerelle at the 'rome3' level: those
-- jobseekers already count in the family's pool on paper. Jobseeker statistics exist for
-- v3 families only, so 'rome4' rows carry the offer side and the tension of 4.0 codes.
--
-- A neighbour is in tension (voisin_en_tension) at level passerelles_niveau_tension_voisin
-- or more, or with fewer new category-A jobseekers per offer than the shortage rule of the
-- diagnosis; NULL when neither is known. The pool within reach with a short training
-- (vivier_passerelles_a, _abc) sums the jobseekers of the neighbours known not to be in
-- tension; voisins_en_tension says that every neighbour whose status is known is itself
-- in tension (its pool is no way out). One row per target cell x neighbour with data in
-- that cell. Periods are quarters and years: a pool is a stock that one month hardly
-- changes, and monthly rows would multiply the table by four for no decision. The pools are
-- summed in the neighbours' order: averaged counts (23.33...) summed in whatever order the
-- threads meet them differ in the last bit from one run to the next, and every table,
-- extract and report that reads them would look changed.
create or replace table "analyse".passerelles as
with

liens as (
    select
        'rome4' as niveau_code,
        code_rome_cible as code,
        code_rome_source as code_voisin,
        rang,
        1 as nb_chemins,
        [code_rome_source] as codes_sources
    from prep.rome_mobilites
    where coalesce(rang, 0) <= getvariable('passerelles_rang_max')
    union all
    select
        'rome3',
        code_rome_parent_cible,
        code_rome_parent_source,
        min(rang),
        count(*),
        list_sort(list_distinct(list(code_rome_source)))
    from prep.rome_mobilites
    where
        coalesce(rang, 0) <= getvariable('passerelles_rang_max')
        and code_rome_parent_source <> code_rome_parent_cible
    group by code_rome_parent_cible, code_rome_parent_source
),

sources as (
    -- the labels of the 4.0 codes whose paths make each link: a v3 family's label may not
    -- be the job that leads there (H1502 « Responsable qualité » leads to I1304 through
    -- its quality technicians)
    select
        liens.niveau_code,
        liens.code,
        liens.code_voisin,
        list(rome.libelle_rome order by rome.libelle_rome) as metiers_sources
    from liens
    cross join unnest(liens.codes_sources) as chemin (code_rome)
    inner join prep.rome as rome on chemin.code_rome = rome.code_rome
    group by all
),

libelles as (
    select
        'rome4' as niveau_code,
        code_rome as code,
        libelle_rome as libelle
    from prep.rome
    union all
    select distinct
        'rome3',
        code_rome_parent,
        libelle_parent
    from prep.rome
),

marche as (
    select
        niveau_code,
        code,
        niveau_territoire,
        code_territoire,
        type_periode,
        periode,
        debut,
        offres,
        demandeurs_a,
        demandeurs_abc,
        entrees_a,
        score_tension,
        niveau_tension,
        entrees_a / nullif(offres, 0) as entrees_a_par_offre
    from "analyse".tension_marche
    where niveau_code in ('rome3', 'rome4') and type_periode in ('trimestre', 'annee')
),

voisins as (
    select
        liens.niveau_code,
        liens.code,
        voisin.niveau_territoire,
        voisin.code_territoire,
        voisin.type_periode,
        voisin.periode,
        voisin.debut,
        liens.code_voisin,
        liens.rang,
        liens.nb_chemins,
        sources.metiers_sources,
        voisin.offres as offres_voisin,
        voisin.demandeurs_a as demandeurs_a_voisin,
        voisin.demandeurs_abc as demandeurs_abc_voisin,
        voisin.entrees_a_par_offre as entrees_a_par_offre_voisin,
        voisin.score_tension as score_tension_voisin,
        voisin.niveau_tension as niveau_tension_voisin,
        case
            when voisin.niveau_tension is null and voisin.entrees_a_par_offre is null then null
            else
                coalesce(voisin.niveau_tension >= getvariable('passerelles_niveau_tension_voisin'), false)
                or coalesce(
                    voisin.entrees_a_par_offre < getvariable('diagnostic_penurie_entrees_par_offre'), false
                )
        end as voisin_en_tension
    from liens
    inner join marche as voisin
        on liens.niveau_code = voisin.niveau_code and liens.code_voisin = voisin.code
    left join sources
        on
            liens.niveau_code = sources.niveau_code and liens.code = sources.code
            and liens.code_voisin = sources.code_voisin
),

totaux as (
    select
        *,
        count(*) over cellule as nb_voisins,
        count(*) filter (where voisin_en_tension) over cellule as nb_voisins_en_tension,
        count(*) filter (where not voisin_en_tension) over cellule as nb_voisins_hors_tension,
        list_sum(list(demandeurs_a_voisin order by code_voisin) filter (where not voisin_en_tension) over cellule)
            as vivier_passerelles_a,
        list_sum(list(demandeurs_abc_voisin order by code_voisin) filter (where not voisin_en_tension) over cellule)
            as vivier_passerelles_abc
    from voisins
    window cellule as (partition by niveau_code, code, niveau_territoire, code_territoire, type_periode, periode)
)

select
    totaux.niveau_code,
    totaux.code,
    libelle.libelle,
    totaux.niveau_territoire,
    totaux.code_territoire,
    totaux.type_periode,
    totaux.periode,
    totaux.debut,
    totaux.code_voisin,
    libelle_voisin.libelle as libelle_voisin,
    totaux.rang,
    totaux.nb_chemins,
    totaux.metiers_sources,
    totaux.offres_voisin,
    totaux.demandeurs_a_voisin,
    totaux.demandeurs_abc_voisin,
    totaux.entrees_a_par_offre_voisin,
    totaux.score_tension_voisin,
    totaux.niveau_tension_voisin,
    totaux.voisin_en_tension,
    coalesce(cible.offres, 0) as offres,
    cible.demandeurs_a,
    cible.demandeurs_abc,
    cible.niveau_tension,
    totaux.nb_voisins,
    totaux.nb_voisins_en_tension,
    totaux.nb_voisins_hors_tension,
    totaux.vivier_passerelles_a,
    totaux.vivier_passerelles_abc,
    totaux.nb_voisins_en_tension > 0 and totaux.nb_voisins_hors_tension = 0 as voisins_en_tension
from totaux
left join marche as cible
    on
        totaux.niveau_code = cible.niveau_code and totaux.code = cible.code
        and totaux.niveau_territoire = cible.niveau_territoire and totaux.code_territoire = cible.code_territoire
        and totaux.type_periode = cible.type_periode and totaux.periode = cible.periode
left join libelles as libelle on totaux.niveau_code = libelle.niveau_code and totaux.code = libelle.code
left join libelles as libelle_voisin
    on totaux.niveau_code = libelle_voisin.niveau_code and totaux.code_voisin = libelle_voisin.code
