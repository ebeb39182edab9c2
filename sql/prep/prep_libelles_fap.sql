-- prep.libelles_fap: the label of each FAP-2009 code as the DARES writes it (the median
-- salary file is the loaded source that names the families), from its latest period.
create or replace table prep.libelles_fap as
select
    fap as code,
    arg_max(libelle_fap, periode) as libelle
from brut.dares_salaires
where libelle_fap is not null
group by fap
