-- Territories, named « niveau:code » as in the page (département 84 and region 84 differ).
select
    niveau_territoire,
    libelle,
    niveau_territoire || ':' || code_territoire as territoire
from "analyse".territoires
