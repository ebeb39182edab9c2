-- int.vacances: the market's offers, one row per vacancy (duplicate cluster doublon_de)
-- after deduplication: the only definition of « an offer of the market ». A vacancy takes
-- the attributes of its first posting (dated postings only), its largest number of
-- positions, and is a repost when the same employer posted the same occupation in the
-- same commune within [sql.tension] fenetre_republication_jours before it.
-- annonces_ft lists its France Travail postings in order (the only source listing skills
-- and training): the skills model reads the first one, the company requirements all.
create or replace table int.vacances as
with

postings as (
    -- the postings of each vacancy in order: first posted first, those of the same day by
    -- source and id (the same order at every build, whatever order the rows are read in)
    select
        *,
        row_number() over (partition by doublon_de order by date_creation, source, offre_id) as rang
    from int.offres
    where date_creation is not null
),

clusters as (
    -- one row per vacancy: the attributes of its first posting
    select
        doublon_de,
        min(date_creation) as date_creation,
        arg_min(rome_code, rang) as rome_code,
        arg_min(rome_code_parent, rang) as rome_code_parent,
        arg_min(bassin, rang) as bassin,
        arg_min(departement, rang) as departement,
        arg_min(region, rang) as region,
        arg_min(commune_insee, rang) as commune_insee,
        arg_min(lower(trim(entreprise_nom)), rang) as entreprise,
        arg_min(type_contrat, rang) as type_contrat,
        arg_min(duree_contrat_mois, rang) as duree_contrat_mois,
        arg_min(temps_plein, rang) as temps_plein,
        max(coalesce(nombre_postes, 1)) as postes,
        bool_or(salaire_affiche) as salaire_affiche,
        arg_min(
            (salaire_min_mensuel + coalesce(salaire_max_mensuel, salaire_min_mensuel)) / 2,
            rang
        ) filter (where salaire_min_mensuel is not null
        ) as salaire_mensuel,
        arg_min(experience_mois, rang) as experience_mois,
        arg_min(niveau_diplome, rang) as niveau_diplome,
        arg_min(qualification_code, rang) as qualification_code,
        arg_min(longueur_description, rang) as longueur_description,
        arg_min(nb_competences, rang) as nb_competences,
        bool_or(offres_manque_candidats) as manque_candidats,
        max(duree_publication_jours) as duree_publication_jours,
        list(
            {
                'offre_id': offre_id,
                'date_creation': date_creation,
                'rome_code': rome_code,
                'rome_code_parent': rome_code_parent,
                'departement': departement,
                'region': region,
                'experience_mois': experience_mois,
                'niveau_diplome': niveau_diplome
            }
            order by rang
        ) filter (where source = 'france-travail') as annonces_ft
    from postings
    group by doublon_de
),

reposts as (
    select
        doublon_de,
        coalesce(
            date_diff(
                'day',
                lag(date_creation) over (
                    partition by entreprise, rome_code_parent, commune_insee order by date_creation, doublon_de
                ),
                date_creation
            ) <= getvariable('tension_fenetre_republication_jours'),
            false
        ) and entreprise is not null as republiee
    from clusters
)

select
    clusters.doublon_de,
    clusters.date_creation,
    clusters.rome_code,
    clusters.rome_code_parent,
    clusters.bassin,
    clusters.departement,
    clusters.region,
    clusters.commune_insee,
    clusters.entreprise,
    clusters.type_contrat,
    clusters.duree_contrat_mois,
    clusters.temps_plein,
    clusters.postes,
    clusters.salaire_affiche,
    clusters.salaire_mensuel,
    clusters.experience_mois,
    clusters.niveau_diplome,
    clusters.qualification_code,
    clusters.longueur_description,
    clusters.nb_competences,
    clusters.manque_candidats,
    clusters.duree_publication_jours,
    reposts.republiee,
    clusters.annonces_ft
from clusters
inner join reposts on clusters.doublon_de = reposts.doublon_de
