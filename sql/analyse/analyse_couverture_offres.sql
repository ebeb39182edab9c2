-- "analyse".couverture_offres: what the models add to the offers, per source and for all
-- sources (source 'toutes'): offers with a ROME code given by the offer, predicted by the
-- ROME classifier, or still without one, and distinct vacancies once the deduplication
-- model has grouped the same vacancy published on several sites.
create or replace table "analyse".couverture_offres as
select
    coalesce(source, 'toutes') as source,
    count(*) as offres,
    count(*) filter (where rome_origine = 'offre') as code_rome_fourni,
    count(*) filter (where rome_origine = 'classifieur') as code_rome_predit,
    count(*) filter (where rome_code is null) as sans_code_rome,
    count(distinct doublon_de) as annonces_distinctes
from int.offres
group by grouping sets ((source), ())
