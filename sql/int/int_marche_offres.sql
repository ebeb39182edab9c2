-- int.marche_offres: the offer side of the market per cell, occupation (ROME 4.0, its v3
-- parent, FAP-2009 through the DARES mapping) x territory (BMO basin, département, region)
-- x period (month, quarter, year): vacancies of int.vacances dated by their first posting,
-- positions, shares and medians of their content (the market reference of the company
-- indicators), and familles_fap228: the FAP-2021 families (FAP228, the BMO survey's
-- « Code métier BMO ») of the cell's vacancies. A vacancy takes the family DARES's passage
-- gives for its ROME v3 code AND its qualification level (without one: the passage's row
-- for level 0, "qualification unknown"): I1304 at 7-8 is G1X72, at 0-6 G0A40.
-- Built in passes, one occupation level x territory level at a time, from a temporary
-- table of the rows of every cell: the medians hold all the values of their cells in
-- memory (no spilling to disk), and the three occupation levels at once (36 million rows
-- at 1 000 000 offers) exceeded 4 GB; one of them at a time, 1.5 GB.
create or replace temp table marche_offres_lignes as
with

vacances as (
    select
        vacances.doublon_de,
        vacances.date_creation,
        vacances.rome_code,
        vacances.rome_code_parent,
        vacances.bassin,
        vacances.departement,
        vacances.region,
        vacances.postes,
        vacances.salaire_affiche,
        vacances.salaire_mensuel,
        vacances.manque_candidats,
        vacances.duree_publication_jours,
        vacances.republiee,
        vacances.experience_mois,
        vacances.niveau_diplome,
        vacances.longueur_description,
        vacances.nb_competences,
        coalesce(qualifiee.code_fap228, sans_qualification.code_fap228) as code_fap228,
        not(
            (
                upper(vacances.type_contrat) = 'CDI'
                or (
                    upper(vacances.type_contrat) = 'CDD'
                    and vacances.duree_contrat_mois >= getvariable('tension_duree_cdd_durable_mois')
                )
            )
            and coalesce(vacances.temps_plein, true)
        ) as non_durable
    from int.vacances as vacances
    left join prep.rome_qualif_fap as qualifiee
        on
            vacances.rome_code_parent = qualifiee.code_rome_parent
            and vacances.qualification_code = qualifiee.qualification
    left join prep.rome_qualif_fap as sans_qualification
        on vacances.rome_code_parent = sans_qualification.code_rome_parent and sans_qualification.qualification = '0'
),

codes as (
    select
        doublon_de,
        'rome4' as niveau_code,
        rome_code as code
    from vacances
    where rome_code is not null
    union all
    select
        doublon_de,
        'rome3',
        rome_code_parent
    from vacances
    where rome_code_parent is not null
    union all
    select
        vacances.doublon_de,
        'fap2009',
        rome_fap.code_fap
    from vacances
    inner join prep.rome_fap as rome_fap
        on rome_fap.nomenclature = 'fap2009' and vacances.rome_code_parent = rome_fap.code_rome_parent
),

territoires as (
    select
        doublon_de,
        'bassin' as niveau_territoire,
        bassin as code_territoire
    from vacances
    where bassin is not null
    union all
    select
        doublon_de,
        'departement',
        departement
    from vacances
    where departement is not null
    union all
    select
        doublon_de,
        'region',
        region
    from vacances
    where region is not null
)

select
    codes.niveau_code,
    codes.code,
    territoires.niveau_territoire,
    territoires.code_territoire,
    calendrier.type_periode,
    calendrier.periode,
    calendrier.debut,
    vacances.postes,
    vacances.non_durable,
    vacances.salaire_affiche,
    vacances.salaire_mensuel,
    vacances.manque_candidats,
    vacances.duree_publication_jours,
    vacances.republiee,
    vacances.experience_mois,
    vacances.niveau_diplome,
    vacances.longueur_description,
    vacances.nb_competences,
    vacances.code_fap228
from vacances
inner join codes on vacances.doublon_de = codes.doublon_de
inner join territoires on vacances.doublon_de = territoires.doublon_de
inner join prep.calendrier as calendrier
    on cast(date_trunc('month', vacances.date_creation) as date) = calendrier.mois;

create or replace temp macro cellules_offres(niveau, territoire) as table
    select
        niveau_code,
        code,
        niveau_territoire,
        code_territoire,
        type_periode,
        periode,
        any_value(debut) as debut,
        count(*) as offres,
        sum(postes) as postes,
        avg(cast(non_durable as double)) as part_non_durable,
        avg(cast(salaire_affiche as double)) as part_salaire_affiche,
        median(salaire_mensuel) as salaire_median,
        avg(cast(manque_candidats as double)) as part_manque_candidats,
        median(duree_publication_jours) as duree_publication_mediane_jours,
        avg(cast(republiee as double)) as taux_republication,
        median(experience_mois) as experience_mediane_mois,
        median(niveau_diplome) as diplome_median,
        median(longueur_description) as longueur_description_mediane,
        median(nb_competences) as nb_competences_median,
        list_sort(list(distinct code_fap228) filter (where code_fap228 is not null)) as familles_fap228
    from marche_offres_lignes
    where niveau_code = niveau and niveau_territoire = territoire
    group by all;


-- one occupation level x territory level at a time: the medians hold every value of their cells
create or replace table int.marche_offres as
from cellules_offres('rome4', 'bassin');
insert into int.marche_offres from cellules_offres('rome4', 'departement');
insert into int.marche_offres from cellules_offres('rome4', 'region');
insert into int.marche_offres from cellules_offres('rome3', 'bassin');
insert into int.marche_offres from cellules_offres('rome3', 'departement');
insert into int.marche_offres from cellules_offres('rome3', 'region');
insert into int.marche_offres from cellules_offres('fap2009', 'bassin');
insert into int.marche_offres from cellules_offres('fap2009', 'departement');
insert into int.marche_offres from cellules_offres('fap2009', 'region');

drop macro table cellules_offres;
drop table marche_offres_lignes;
